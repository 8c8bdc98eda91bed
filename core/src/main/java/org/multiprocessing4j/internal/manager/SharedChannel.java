package org.multiprocessing4j.internal.manager;

import static org.multiprocessing4j.internal.manager.ChannelLayout.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.proc.Sweeper;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.SharedWait;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.wire.Hmac;

/**
 * The calls and replies of one manager connection through shared memory, once the connection has
 * shown it carries many ({@link Endpoint#UPGRADE_AFTER}): a call is copied into a buffer and a
 * sequence word is bumped, the server sleeping on that word ({@code futex}) wakes, and the reply comes
 * back the same way. Two futex wake-ups per round trip cost the kernel about half what two socket
 * messages do (a write and a blocking read on each side), which is most of a round trip's time.
 *
 * <p>The socket stays: it carried the HMAC handshake and the upgrade, and it carries any message over
 * {@link #CAPACITY} (the memory then says "on the socket"). Only a connection over a Unix socket is
 * upgraded, so both ends are on this machine.
 *
 * <p>The bytes: {@link ChannelLayout}.
 *
 * <p><b>Lifecycle.</b> The client creates the file ({@code mp4j-manager.PID.RANDOM} under the shared
 * memory directory, mode 0600) and maps it; the server maps it, checks the token the client sent over
 * the authenticated socket, and removes the name: from then on only the two mappings exist, freed
 * when unreachable (an automatic arena: no thread can touch unmapped memory). A client that dies
 * between creating and the server's removal leaves a file; the next upgrade in this directory removes
 * those of dead processes.
 *
 * <p><b>Concurrency.</b> One call at a time, as on the socket: the client posts a call and waits for
 * its reply; the server waits for the next call. Sequence words are written with volatile stores after
 * the message, and read with volatile loads before it; a sleeper counts itself before its last check,
 * so a poster that sees no sleeper needs no {@code futex} wake.
 *
 * <p><b>Failure.</b> Waits ({@link SharedWait}, without a spin or yield phase: the other side is a
 * call's work away) are bounded chunks (20 ms doubling to {@link #MAX_CHUNK_NANOS}); between chunks the
 * waiter checks that its peer's process is alive and has not closed: a dead client ends the server's
 * side of the connection (its locks are released), a dead server fails the client's call.
 *
 * <p><b>Why not a pipe's {@code ByteRing}.</b> A pipe ({@code internal.conn.ShmPipe}) streams any
 * number of messages of any size through a ring per direction, each side free to run ahead of the
 * other; this is a mailbox of one slot per direction that holds at most one call and one reply, in
 * strict turn. That turn is what makes it cheap: no head and tail to publish and cache, no wrap-around,
 * no streaming of a message in pieces, one sleeper per word, so one {@code futex} wake of one
 * waiter (the ring wakes all, after a yield phase that costs a request/reply on two busy cores); and
 * a message over {@link #CAPACITY} goes on the socket that is there anyway. Its file is not a
 * {@code Segment} either: it has no attach table, is never listed or swept as one, and its name
 * lives only from the client's proposal to the server's join, which the socket's token guards.
 * What the two do share is shared: files are made by {@link Segments#createFile} (mode 0600),
 * waits go through {@link SharedWait} and wakes through {@link Futex} (its lean form here), and a
 * peer's death is asked of {@link ProcessIds#running}.
 */
final class SharedChannel {
    static final int CAPACITY = ChannelLayout.CAPACITY;
    static final int TOKEN_BYTES = ChannelLayout.TOKEN_BYTES;
    static final String PREFIX = "mp4j-manager.";
    /*
     * A wait's first chunk is long on purpose: a futex wait with a timeout under the kernel's tick
     * (1 ms, say) costs a timer reprogramming on each sleep, and on these VMs that tripled a round
     * trip (13-19 us against 6 us with 5 ms or more).
     */
    static final long FIRST_CHUNK_NANOS = 20_000_000L;
    static final long MAX_CHUNK_NANOS = 100_000_000L;
    /*
     * The memory is reached through a direct ByteBuffer view and byte-buffer var handles rather than
     * MemorySegment accessors: the same atomic accesses, but far less code for the JIT to compile on a
     * path that a busy connection runs thousands of times in its first second (JFR: the segment-based
     * version's wait compiled to 80 KB at tier 3, 26 KB at tier 4).
     */
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final SharedWait.Pacing PACING = new SharedWait.Pacing(0, 0, FIRST_CHUNK_NANOS, MAX_CHUNK_NANOS, false);
    /** Whether this JVM is ready for channels: 0 not yet, 1 readying, 2 ready, 3 no futex here. */
    private static final AtomicInteger READY = new AtomicInteger();

    private final ByteBuffer memory;
    private final MemorySegment callWord;
    private final MemorySegment replyWord;
    private final MemorySegment timeout; // this side's futex timespec: one waiting thread at a time
    private final Connection socket;
    private final boolean client;
    private final long peerPid;
    private int seq; // the client's last call, or the server's last call seen; one thread at a time
    private final SeqWait awaitReply; // the client's
    private final SeqWait awaitCall;  // the server's

    private SharedChannel(MemorySegment mapped, Connection socket, boolean client, long peerPid) {
        this.memory = mapped.asByteBuffer().order(ByteOrder.nativeOrder());
        this.callWord = mapped.asSlice(CALL_SEQ, 4);
        this.replyWord = mapped.asSlice(REPLY_SEQ, 4);
        this.timeout = Arena.ofAuto().allocate(Futex.TIMESPEC_BYTES, 8);
        this.socket = socket;
        this.client = client;
        this.peerPid = peerPid;
        this.seq = lvInt(CALL_SEQ);
        this.awaitReply = new SeqWait(mapped, REPLY_SEQ, CLIENT_SLEEPERS);
        this.awaitCall = new SeqWait(mapped, CALL_SEQ, SERVER_SLEEPERS);
    }

    // ---- ordering-named accessors (lv: volatile load, sv: volatile store, add: get-and-add)

    private int lvInt(int offset) {
        return (int) INT.getVolatile(memory, offset);
    }

    private void svInt(int offset, int value) {
        INT.setVolatile(memory, offset, value);
    }

    private void addInt(int offset, int delta) {
        INT.getAndAdd(memory, offset, delta);
    }

    private int orInt(int offset, int bits) {
        return (int) INT.getAndBitwiseOr(memory, offset, bits);
    }

    /**
     * Readies this JVM for shared-memory connections in the background, once: the first futex call
     * through the FFM linker and the first accesses through var handles spin method handles and
     * classes (80 ms and more in a fresh JVM here), which a busy connection should not spend in the
     * middle of its calls. Each side calls this once a connection has carried a few calls.
     */
    static void prepare() {
        if (READY.compareAndSet(0, 1)) {
            Thread.ofPlatform().daemon().name("mp4j-shared-channel-warm-up").start(() -> {
                try {
                    rehearse();
                    READY.set(2);
                } catch (RuntimeException | Error e) {
                    READY.set(3); // no futex here: connections stay on their sockets
                }
            });
        }
    }

    /** Whether {@link #prepare} is done. */
    static boolean ready() {
        return READY.get() == 2;
    }

    /** Whether {@link #prepare} found no futex in this JVM. */
    static boolean unavailable() {
        return READY.get() == 3;
    }

    /** Both sides of a channel in memory of this process alone, through every path a call takes. */
    private static void rehearse() {
        if (!Futex.available()) {
            throw new IllegalStateException("no futex on " + System.getProperty("os.arch"));
        }
        MemorySegment mapped = Arena.ofAuto().allocate(SIZE, 64);
        long self = ProcessHandle.current().pid();
        SharedChannel client = new SharedChannel(mapped, null, true, self);
        SharedChannel server = new SharedChannel(mapped, null, false, self);
        byte[] frame = new byte[48];
        for (int i = 0; i < 500; i++) {
            client.sendCall(frame);
            server.receiveCall();
            server.sendReply(frame);
            client.receiveReply();
        }
        client.addInt(SERVER_SLEEPERS, 1);
        client.sendCall(frame); // wakes the (absent) sleeper
        client.addInt(SERVER_SLEEPERS, -1);
        client.sleep(client.callWord, client.lvInt(CALL_SEQ) + 1, 1); // returns at once
        client.close();
    }

    /** A file made by a client, not yet joined by the server. */
    record Proposal(Path path, byte[] token, MemorySegment memory) {
        String name() {
            return path.getFileName().toString();
        }

        /** The server joined: the channel, over {@code socket}. */
        SharedChannel accept(Connection socket, long serverPid) {
            remove(path); // the server removed it already; this is for a server that did not
            return new SharedChannel(memory, socket, true, serverPid);
        }

        void abandon() {
            remove(path);
        }
    }

    /** Makes and maps a new file for a channel, in this process (the client). */
    static Proposal propose() throws IOException {
        Path dir = Segments.directory();
        ABANDONED.sweep(dir);
        byte[] token = Hmac.newKey();
        Path path = dir.resolve(PREFIX + ProcessHandle.current().pid() + "."
                + HexFormat.of().formatHex(token, 0, 8));
        MemorySegment memory;
        try {
            memory = Segments.createFile(path, SIZE, Arena.ofAuto()); // rw-------
        } catch (IOException | RuntimeException e) {
            remove(path);
            throw e;
        }
        memory.set(ValueLayout.JAVA_LONG, CLIENT_PID, ProcessHandle.current().pid());
        MemorySegment.copy(MemorySegment.ofArray(token), 0, memory, TOKEN, TOKEN_BYTES);
        memory.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        memory.set(ValueLayout.JAVA_INT, MAGIC_OFFSET, MAGIC);
        return new Proposal(path, token, memory);
    }

    /**
     * Maps the file {@code name} a client proposed over {@code socket}, checks it, and removes its name.
     *
     * @throws IOException if it is not the file the client made (another token, size, or a link)
     */
    static SharedChannel join(String name, byte[] token, long clientPid, Connection socket) throws IOException {
        if (!name.startsWith(PREFIX) || name.contains("/")) {
            throw new IOException("not a manager channel's name: " + name);
        }
        if (!Futex.available()) {
            throw new IOException("no futex on " + System.getProperty("os.arch"));
        }
        Path path = Segments.directory().resolve(name);
        MemorySegment memory;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            if (file.size() != SIZE) {
                throw new IOException("a manager channel of " + file.size() + " bytes, not " + SIZE);
            }
            memory = file.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, Arena.ofAuto());
        } finally {
            remove(path);
        }
        byte[] written = memory.asSlice(TOKEN, TOKEN_BYTES).toArray(ValueLayout.JAVA_BYTE);
        if (memory.get(ValueLayout.JAVA_INT, MAGIC_OFFSET) != MAGIC || memory.get(ValueLayout.JAVA_INT, VERSION_OFFSET) != VERSION
                || !Hmac.verify(written, token) || memory.get(ValueLayout.JAVA_LONG, CLIENT_PID) != clientPid) {
            throw new IOException("the manager channel " + name + " is not the one the client made");
        }
        return new SharedChannel(memory, socket, false, clientPid);
    }

    // ---- the client's side

    /** Posts a call and waits for its reply. */
    byte[] exchange(byte[] call) {
        sendCall(call);
        return receiveReply();
    }

    /** Posts a call. */
    void sendCall(byte[] frame) {
        post(frame, CALL_LENGTH, CALL_BYTES);
        svInt(CALL_SEQ, ++seq);
        if (lvInt(SERVER_SLEEPERS) > 0) {
            Futex.wakeOne(callWord);
        }
    }

    /**
     * Waits for the reply to the last call.
     *
     * @throws UncheckedIOException if the server ended or closed the connection
     * @throws IllegalStateException if this thread was interrupted (the connection must then be closed)
     */
    byte[] receiveReply() {
        if (lvInt(REPLY_SEQ) != seq) {
            awaitReply.await();
        }
        return take(REPLY_LENGTH, REPLY_BYTES);
    }

    // ---- the server's side

    /** The next call, or {@code null} once the client has closed the connection or died. */
    byte[] receiveCall() {
        int now = lvInt(CALL_SEQ);
        if (now == seq) {
            try {
                awaitCall.await();
            } catch (UncheckedIOException gone) {
                return null;
            }
            now = awaitCall.seen;
        }
        seq = now;
        return take(CALL_LENGTH, CALL_BYTES);
    }

    /** Posts the reply to the call last received. */
    void sendReply(byte[] frame) {
        post(frame, REPLY_LENGTH, REPLY_BYTES);
        svInt(REPLY_SEQ, seq);
        if (lvInt(CLIENT_SLEEPERS) > 0) {
            Futex.wakeOne(replyWord);
        }
    }

    // ----

    /** Marks this side closed and wakes the other, which sees it at once. */
    void close() {
        orInt(CLOSED, client ? CLIENT_CLOSED : SERVER_CLOSED);
        Futex.wakeOne(callWord);
        Futex.wakeOne(replyWord);
    }

    private void post(byte[] frame, int lengthOffset, int bytesOffset) {
        if (frame.length <= CAPACITY) {
            memory.put(bytesOffset, frame, 0, frame.length);
            memory.putInt(lengthOffset, frame.length);
        } else {
            socket.sendBytes(frame, 0, frame.length); // read by the other side once it sees -1
            memory.putInt(lengthOffset, -1);
        }
    }

    private byte[] take(int lengthOffset, int bytesOffset) {
        int length = memory.getInt(lengthOffset);
        if (length < 0) {
            return socket.recvBytes();
        }
        if (length > CAPACITY) {
            throw new UncheckedIOException(new IOException("a manager channel's message of " + length + " bytes"));
        }
        byte[] frame = new byte[length];
        memory.get(bytesOffset, frame, 0, length);
        return frame;
    }

    private void checkPeer() {
        int closed = lvInt(CLOSED);
        if ((closed & (client ? SERVER_CLOSED : CLIENT_CLOSED)) != 0) {
            throw new UncheckedIOException(new IOException("the other end closed the connection"));
        }
        if ((closed & (client ? CLIENT_CLOSED : SERVER_CLOSED)) != 0) {
            throw new UncheckedIOException(new IOException("the connection is closed"));
        }
        if (!ProcessIds.running(peerPid)) {
            throw new UncheckedIOException(new IOException("the " + (client ? "server" : "client") + " process (pid "
                    + peerPid + ") has ended"));
        }
        if (client && Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while waiting for the reply");
        }
    }

    /**
     * A wait for the other side's sequence word to move: the client's for the reply ({@code REPLY_SEQ}
     * back to {@code seq}), the server's for the next call ({@code CALL_SEQ} past {@code seq}, kept in
     * {@link #seen}). Between chunks: {@link #checkPeer}.
     */
    private final class SeqWait extends SharedWait {
        private final int seqOffset;
        private final int sleepersOffset;
        int seen;

        SeqWait(MemorySegment mapped, int seqOffset, int sleepersOffset) {
            super(PACING, mapped, seqOffset, -1);
            this.seqOffset = seqOffset;
            this.sleepersOffset = sleepersOffset;
        }

        @Override
        protected boolean ready(boolean announced) {
            seen = lvInt(seqOffset);
            return seqOffset == REPLY_SEQ ? seen == seq : seen != seq;
        }

        @Override
        protected int announce() {
            addInt(sleepersOffset, 1);
            return lvInt(seqOffset);
        }

        @Override
        protected void withdraw() {
            addInt(sleepersOffset, -1);
        }

        @Override
        protected boolean sleep(MemorySegment word, int observed, long nanos) {
            SharedChannel.this.sleep(word, observed, nanos);
            return true; // the lean form does not say why it returned
        }

        @Override
        protected boolean afterSleep(boolean timedOut) {
            checkPeer();
            return false;
        }
    }

    // ---- futex(2), the lean form: no errno capture, no arena per call (see Futex)

    /** Sleeps while {@code word} holds {@code expected}, at most {@code nanos}; may return early. */
    private void sleep(MemorySegment word, int expected, long nanos) {
        Futex.waitOn(word, expected, Futex.timespec(timeout, nanos));
    }

    /** The files ({@code PREFIX.PID.HEX}) of clients that died before their server took them over. */
    private static final Sweeper ABANDONED = new Sweeper(name -> name.startsWith(PREFIX),
            Sweeper.ownerGone(SharedChannel::clientPid), Sweeper.FILE);

    /** The client's pid in a channel's file name, or -1 if the name is not a channel's. */
    private static long clientPid(String fileName) {
        String[] parts = fileName.substring(PREFIX.length()).split("\\.");
        return parts.length == 2 ? Long.parseLong(parts[0]) : -1;
    }

    private static void remove(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stray name; the next sweep removes it
        }
    }

    @Override
    public String toString() {
        return "SharedChannel[" + (client ? "client" : "server") + ", peer " + peerPid + ", call " + seq + "]";
    }
}
