package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.shm.Futex;
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
 * <pre>
 *  0    MAGIC (int) | VERSION (int) | CLIENT_PID (long) | TOKEN (32 bytes)
 *  64   CALL_SEQ (int)  | SERVER_SLEEPERS (int) | CALL_LENGTH (int)      written by the client
 *  128  REPLY_SEQ (int) | CLIENT_SLEEPERS (int) | REPLY_LENGTH (int)     written by the server
 *  192  CLOSED (int): bit 0 the client closed, bit 1 the server closed
 *  256  the call's bytes (CAPACITY) | 256 + CAPACITY  the reply's bytes (CAPACITY)
 *  a length of -1: the message travels on the socket
 * </pre>
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
 * <p><b>Failure.</b> Waits are bounded chunks (20 ms doubling to {@link #MAX_CHUNK_NANOS}); between
 * chunks the waiter checks that its peer's process is alive and has not closed: a dead client ends the
 * server's side of the connection (its locks are released), a dead server fails the client's call.
 */
final class SharedChannel {
    static final int CAPACITY = 1 << 16;
    static final int TOKEN_BYTES = 32;
    static final String PREFIX = "mp4j-manager.";
    /*
     * A wait's first chunk is long on purpose: a futex wait with a timeout under the kernel's tick
     * (1 ms, say) costs a timer reprogramming on each sleep, and on these VMs that tripled a round
     * trip (13-19 us against 6 us with 5 ms or more).
     */
    static final long FIRST_CHUNK_NANOS = 20_000_000L;
    static final long MAX_CHUNK_NANOS = 100_000_000L;
    private static final int MAGIC = 0x4d504d43; // "MPMC"
    private static final int VERSION = 1;
    private static final long CLIENT_PID = 8;
    private static final long TOKEN = 16;
    private static final long CALL_SEQ = 64;
    private static final long SERVER_SLEEPERS = 68;
    private static final long CALL_LENGTH = 72;
    private static final long REPLY_SEQ = 128;
    private static final long CLIENT_SLEEPERS = 132;
    private static final long REPLY_LENGTH = 136;
    private static final long CLOSED = 192;
    private static final long CALL_BYTES = 256;
    private static final long REPLY_BYTES = CALL_BYTES + CAPACITY;
    static final long SIZE = REPLY_BYTES + CAPACITY;
    private static final int CLIENT_CLOSED = 1;
    private static final int SERVER_CLOSED = 2;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Whether this JVM's futex calls are linked: 0 not yet, 1 linking, 2 ready, 3 unavailable. */
    private static final java.util.concurrent.atomic.AtomicInteger LINKED = new java.util.concurrent.atomic.AtomicInteger();

    private final MemorySegment memory;
    private final MemorySegment callWord;
    private final MemorySegment replyWord;
    private final Connection socket;
    private final boolean client;
    private final long peerPid;
    private int seq; // the client's last call, or the server's last call seen; one thread at a time

    private SharedChannel(MemorySegment memory, Connection socket, boolean client, long peerPid) {
        this.memory = memory;
        this.callWord = memory.asSlice(CALL_SEQ, 4);
        this.replyWord = memory.asSlice(REPLY_SEQ, 4);
        this.socket = socket;
        this.client = client;
        this.peerPid = peerPid;
        this.seq = (int) INT.getVolatile(memory, CALL_SEQ);
    }

    /**
     * Readies this JVM for shared-memory connections in the background, once: the first futex call
     * through the FFM linker, and the first accesses to a memory segment through var handles, spin
     * method handles and classes (80 ms and more in a fresh JVM here), which a busy connection should
     * not spend in the middle of its calls. A client calls this when a connection starts to look busy,
     * the server when it starts listening.
     */
    static void prepare() {
        if (LINKED.compareAndSet(0, 1)) {
            Thread.ofPlatform().daemon().name("mp4j-shared-channel-warm-up").start(() -> {
                try {
                    rehearse();
                    LINKED.set(2);
                } catch (RuntimeException | Error e) {
                    LINKED.set(3); // no futex here: connections stay on their sockets
                }
            });
        }
    }

    /** Both sides of a channel in memory of this process alone, through every path a call takes. */
    private static void rehearse() {
        MemorySegment memory = Arena.ofAuto().allocate(SIZE, 64);
        long self = ProcessHandle.current().pid();
        SharedChannel client = new SharedChannel(memory, null, true, self);
        SharedChannel server = new SharedChannel(memory, null, false, self);
        byte[] frame = new byte[48];
        for (int i = 0; i < 2_000; i++) {
            client.sendCall(frame);
            server.receiveCall();
            server.sendReply(frame);
            client.receiveReply();
        }
        INT.getAndAdd(memory, SERVER_SLEEPERS, 1);
        client.sendCall(frame); // wakes the (absent) sleeper
        INT.getAndAdd(memory, SERVER_SLEEPERS, -1);
        Futex.await(client.callWord, (int) INT.getVolatile(memory, CALL_SEQ) + 1, 0); // returns at once
        client.close();
    }

    /** Whether {@link #prepare} has linked the futex calls. */
    static boolean ready() {
        return LINKED.get() == 2;
    }

    /** Whether {@link #prepare} found no futex in this JVM. */
    static boolean unavailable() {
        return LINKED.get() == 3;
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
        sweep(dir);
        byte[] token = Hmac.newKey();
        Path path = dir.resolve(PREFIX + ProcessHandle.current().pid() + "."
                + HexFormat.of().formatHex(token, 0, 8));
        MemorySegment memory;
        try (FileChannel file = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            file.truncate(SIZE);
            file.write(java.nio.ByteBuffer.wrap(new byte[1]), SIZE - 1);
            memory = file.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, Arena.ofAuto());
        } catch (IOException | RuntimeException e) {
            remove(path);
            throw e;
        }
        memory.set(ValueLayout.JAVA_LONG, CLIENT_PID, ProcessHandle.current().pid());
        MemorySegment.copy(MemorySegment.ofArray(token), 0, memory, TOKEN, TOKEN_BYTES);
        memory.set(ValueLayout.JAVA_INT, 4, VERSION);
        INT.setVolatile(memory, 0L, MAGIC);
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
        if ((int) INT.getVolatile(memory, 0L) != MAGIC || memory.get(ValueLayout.JAVA_INT, 4) != VERSION
                || !Hmac.verify(written, token) || memory.get(ValueLayout.JAVA_LONG, CLIENT_PID) != clientPid) {
            throw new IOException("the manager channel " + name + " is not the one the client made");
        }
        return new SharedChannel(memory, socket, false, clientPid);
    }

    // ---- the client's side

    /** Posts a call. */
    void sendCall(byte[] frame) {
        post(frame, CALL_LENGTH, CALL_BYTES);
        seq++;
        INT.setVolatile(memory, CALL_SEQ, seq);
        wakeIfSleeping(SERVER_SLEEPERS, callWord);
    }

    /**
     * Waits for the reply to the last call.
     *
     * @throws UncheckedIOException if the server ended or closed the connection
     * @throws IllegalStateException if this thread was interrupted (the connection must then be closed)
     */
    byte[] receiveReply() {
        await(replyWord, REPLY_SEQ, CLIENT_SLEEPERS, seq);
        return take(REPLY_LENGTH, REPLY_BYTES);
    }

    // ---- the server's side

    /** The next call, or {@code null} once the client has closed the connection or died. */
    byte[] receiveCall() {
        try {
            seq = await(callWord, CALL_SEQ, SERVER_SLEEPERS, seq);
        } catch (UncheckedIOException gone) {
            return null;
        }
        return take(CALL_LENGTH, CALL_BYTES);
    }

    /** Posts the reply to the call last received. */
    void sendReply(byte[] frame) {
        post(frame, REPLY_LENGTH, REPLY_BYTES);
        INT.setVolatile(memory, REPLY_SEQ, seq);
        wakeIfSleeping(CLIENT_SLEEPERS, replyWord);
    }

    // ----

    /** Marks this side closed and wakes the other, which sees it at once. */
    void close() {
        INT.getAndBitwiseOr(memory, CLOSED, client ? CLIENT_CLOSED : SERVER_CLOSED);
        Futex.wake(callWord, 1);
        Futex.wake(replyWord, 1);
    }

    private void post(byte[] frame, long lengthOffset, long bytesOffset) {
        if (frame.length <= CAPACITY) {
            MemorySegment.copy(frame, 0, memory, ValueLayout.JAVA_BYTE, bytesOffset, frame.length);
            memory.set(ValueLayout.JAVA_INT, lengthOffset, frame.length);
        } else {
            socket.sendBytes(frame, 0, frame.length); // read by the other side once it sees -1
            memory.set(ValueLayout.JAVA_INT, lengthOffset, -1);
        }
    }

    private byte[] take(long lengthOffset, long bytesOffset) {
        int length = memory.get(ValueLayout.JAVA_INT, lengthOffset);
        if (length < 0) {
            return socket.recvBytes();
        }
        if (length > CAPACITY) {
            throw new UncheckedIOException(new IOException("a manager channel's message of " + length + " bytes"));
        }
        byte[] frame = new byte[length];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, bytesOffset, frame, 0, length);
        return frame;
    }

    private void wakeIfSleeping(long sleepersOffset, MemorySegment word) {
        if ((int) INT.getVolatile(memory, sleepersOffset) > 0) {
            Futex.wake(word, 1);
        }
    }

    /**
     * Waits until the word at {@code seqOffset} is no longer {@code seen} (the client: until it is
     * {@code seen}, the call's number, which the server writes back). Returns the new value.
     */
    private int await(MemorySegment word, long seqOffset, long sleepersOffset, int target) {
        long chunk = FIRST_CHUNK_NANOS;
        while (true) {
            int now = (int) INT.getVolatile(memory, seqOffset);
            if (arrived(now, target)) {
                return now;
            }
            INT.getAndAdd(memory, sleepersOffset, 1);
            try {
                now = (int) INT.getVolatile(memory, seqOffset);
                if (arrived(now, target)) {
                    return now;
                }
                Futex.await(word, now, chunk);
            } finally {
                INT.getAndAdd(memory, sleepersOffset, -1);
            }
            now = (int) INT.getVolatile(memory, seqOffset);
            if (arrived(now, target)) {
                return now;
            }
            checkPeer();
            chunk = Math.min(2 * chunk, MAX_CHUNK_NANOS);
        }
    }

    /* The client waits for the reply numbered as its call; the server for any call after the last. */
    private boolean arrived(int now, int target) {
        return client ? now == target : now != target;
    }

    private void checkPeer() {
        int closed = (int) INT.getVolatile(memory, CLOSED);
        if ((closed & (client ? SERVER_CLOSED : CLIENT_CLOSED)) != 0) {
            throw new UncheckedIOException(new IOException("the other end closed the connection"));
        }
        if ((closed & (client ? CLIENT_CLOSED : SERVER_CLOSED)) != 0) {
            throw new UncheckedIOException(new IOException("the connection is closed"));
        }
        if (!Segments.alive(peerPid)) {
            throw new UncheckedIOException(new IOException("the " + (client ? "server" : "client") + " process (pid "
                    + peerPid + ") has ended"));
        }
        if (client && Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while waiting for the reply");
        }
    }

    /** Removes the files of clients that died before their server took them over. */
    private static void sweep(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).forEach(f -> {
                String[] parts = f.getFileName().toString().substring(PREFIX.length()).split("\\.");
                try {
                    if (parts.length == 2 && !Segments.alive(Long.parseLong(parts[0]))) {
                        remove(f);
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            });
        } catch (IOException ignored) {
            // nothing to sweep
        }
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
