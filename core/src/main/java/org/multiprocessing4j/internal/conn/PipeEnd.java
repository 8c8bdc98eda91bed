package org.multiprocessing4j.internal.conn;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.HandOffs;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * One end of a {@code ctx.pipe(duplex)}: a {@link Connection} over a shared-memory segment with a
 * byte ring for each direction ({@link ShmPipe}, {@link ByteRing}). Serializable: captured by a task,
 * it travels as its segment's name and its side, and attaches to the same pipe where it is read.
 *
 * <p>{@code duplex = false} is Python's one-way pipe: the first end only receives, the second only
 * sends. Objects are encoded by {@link ValueCodec} (ints, strings, byte arrays … raw; anything else
 * through the serializer and its filter).
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Lifecycle.</i> An end <i>holds</i> its process's mapping from its creation or attach until
 * it is closed; an end serialized here and not used here lets go of it once the process it went to
 * has attached it ({@link ShmPipe}'s handoff). The first use in a process makes that process the
 * side's owner, whose death is the side's end. {@link #close} marks the side closed for good if this
 * process uses it (or made it and never sent it away): closing the copy of an end that was sent to a
 * child, as Python programs do after {@code start()}, leaves the child's end open.
 *
 * <p><i>Concurrency.</i> Senders are serialized by {@code sendLock}, receivers by {@code recvLock}
 * (as in Python, one thread receives at a time; the lock only keeps two from corrupting the
 * stream). {@code this} guards the holding state; {@code ShmPipe.class} is taken before it, never
 * after.
 */
public final class PipeEnd implements Connection, Serializable, ByteRing.Ends, RawHandle {
    @Serial
    private static final long serialVersionUID = 2L;
    private static final long PID_CHECK_NANOS = ByteRing.SLICE_NANOS;

    private final String name;
    private final int side;
    private final boolean duplex;
    private final transient Object sendLock = new Object();
    private final transient Object recvLock = new Object();
    private transient volatile ShmPipe pipe;      // written under this
    private transient volatile boolean held;      // guarded by this
    private transient volatile boolean usedHere;  // guarded by this
    private transient volatile boolean closed;    // guarded by this
    private transient boolean exported;           // guarded by this
    private transient boolean pendingHandoff;     // guarded by this
    private transient volatile long lastPidCheck; // ready()'s, racy by design

    PipeEnd(String name, int side, boolean duplex) {
        this.name = name;
        this.side = side;
        this.duplex = duplex;
    }

    /** A new pipe's two ends. */
    public static PipeEnd[] pipe(boolean duplex) {
        return ShmPipe.create(duplex);
    }

    int side() {
        return side;
    }

    // ---- holding -------------------------------------------------------------------------------

    /** Attached in this process (made, or deserialized): it holds {@code p} from now on. */
    synchronized void attached(ShmPipe p) {
        if (p.closed(side)) {
            closed = true; // closed for good by whoever had it
            return;
        }
        if (!held) { // (a held end's mapping is alive, so it is p: one live mapping per name)
            p.enter();
            held = true;
        }
        pipe = p;
        closed = false;
        pendingHandoff = false;
        p.markAttached(side);
    }

    /** The mapping, entered for one operation (the caller exits it); the side is this process's from now on. */
    private ShmPipe enter(boolean receiving) {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
        ShmPipe p = pipe;
        if (p != null && usedHere && held && p.enter()) {
            return p;
        }
        return firstUse(receiving);
    }

    private ShmPipe firstUse(boolean receiving) {
        synchronized (ShmPipe.class) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the connection is closed");
                }
                ShmPipe p = pipe;
                if (p == null || !p.enter()) {
                    try {
                        p = ShmPipe.mapped(name);
                    } catch (IllegalStateException e) {
                        String gone = "the other end of the connection is closed: its pipe is gone (" + e.getMessage() + ")";
                        throw receiving ? new UncheckedIOException(new EOFException(gone))
                                : new UncheckedIOException("the connection is broken: " + gone, new IOException(gone));
                    }
                    p.adopt(this);
                    held = false; // the old mapping is gone, and its hold with it
                    pipe = p;
                }
                if (!held) {
                    p.enter();
                    held = true;
                }
                if (!usedHere) {
                    usedHere = true;
                    p.markUsed(side);
                }
                pendingHandoff = false; // used here: held until closed
                return p;
            }
        }
    }

    /** For the handoff watch: true once this end no longer awaits its arrival elsewhere. */
    boolean checkHandoff() {
        ShmPipe release;
        synchronized (this) {
            if (!pendingHandoff) {
                return true;
            }
            if (usedHere && !closed) {
                pendingHandoff = false;
                return true;
            }
            if (pipe.attachedBy(side) == ShmPipe.SELF) {
                return false; // still on its way: the segment stays for it
            }
            pendingHandoff = false;
            held = false;
            release = pipe;
        }
        release.exit();
        return true;
    }

    // ---- the connection --------------------------------------------------------------------------

    private void requireCanSend() {
        if (!duplex && side == 0) {
            throw new IllegalStateException("this end of a one-way pipe only receives");
        }
    }

    private void requireCanReceive() {
        if (!duplex && side == 1) {
            throw new IllegalStateException("this end of a one-way pipe only sends");
        }
    }

    @Override
    public void send(Object o) {
        requireCanSend();
        byte[] bytes = Outgoing.encode(o, ValueCodec::encode);
        sendBytes(bytes, 0, bytes.length);
    }

    @Override
    public void sendBytes(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        requireCanSend();
        if (Thread.currentThread().isInterrupted()) { // the rule of every transport (docs/connections.md)
            throw new IllegalStateException("interrupted before sending", new InterruptedException());
        }
        ShmPipe p = enter(false);
        try {
            synchronized (sendLock) {
                if (p.closed(1 - side)) {
                    throw new UncheckedIOException("the connection is broken: the other end of the connection is closed",
                            new IOException("broken pipe"));
                }
                p.ringSentBy(side).write(b, off, len, this);
            }
        } finally {
            p.exit();
        }
    }

    @Override
    public Object recv() {
        byte[] bytes = recvBytes();
        try {
            return ValueCodec.decode(bytes);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a message could not be deserialized: " + e, e);
        }
    }

    @Override
    public byte[] recvBytes() {
        return recvBytes(SocketConnection.MAX_MESSAGE);
    }

    /** The next message, refused (and skipped) if it is over {@code maxLength} bytes. */
    byte[] recvBytes(int maxLength) {
        requireCanReceive();
        ShmPipe p = enter(true);
        try {
            synchronized (recvLock) {
                return p.ringSentBy(1 - side).read(maxLength, this);
            }
        } finally {
            p.exit();
        }
    }

    @Override
    public boolean poll(Duration timeout) {
        requireCanReceive();
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        ShmPipe p = enter(true);
        try {
            ByteRing ring = p.ringSentBy(1 - side);
            if (ring.readable() || otherGone(p, false) != null) {
                return true;
            }
            return ring.awaitReadable(deadline, new ByteRing.Ends() {
                @Override
                public void checkSelf(String doing) {
                    PipeEnd.this.checkSelf(doing);
                }

                @Override
                public String otherGone(boolean checkPid) {
                    return PipeEnd.this.otherGone(p, checkPid);
                }
            });
        } finally {
            p.exit();
        }
    }

    /**
     * For {@link Readiness}: the mapping entered while a wait looks at this end, or null if the end
     * is closed or gone (then it counts as ready: receiving from it does not wait).
     */
    ShmPipe enterForWait() {
        requireCanReceive();
        try {
            return enter(true);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether receiving would not wait: a message is here, or the other end is gone (end of file). */
    boolean ready(ShmPipe p) {
        if (p.ringSentBy(1 - side).readable()) {
            return true;
        }
        long now = System.nanoTime();
        boolean checkPid = now - lastPidCheck > PID_CHECK_NANOS;
        if (checkPid) {
            lastPidCheck = now;
        }
        return otherGone(p, checkPid) != null;
    }

    ByteRing inbound(ShmPipe p) {
        return p.ringSentBy(1 - side);
    }

    // ---- ByteRing.Ends -----------------------------------------------------------------------------

    @Override
    public void checkSelf(String doing) {
        if (closed) {
            throw new UncheckedIOException("the connection was closed while " + doing, new AsynchronousCloseException());
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while " + doing, new InterruptedException());
        }
    }

    @Override
    public String otherGone(boolean checkPid) {
        return otherGone(pipe, checkPid);
    }

    private String otherGone(ShmPipe p, boolean checkPid) {
        int other = 1 - side;
        if (p.closed(other)) {
            return "the other end of the connection is closed";
        }
        if (checkPid) {
            long owner = p.owner(other);
            if (owner != ShmPipe.SELF && !ProcessIds.alive(owner)) {
                return "the other end of the connection is closed: its process (pid " + ProcessIds.pid(owner)
                        + ") exited";
            }
        }
        return null;
    }

    // ---- closing ---------------------------------------------------------------------------------

    /**
     * Closes this end here. If this process uses it (or made it and never sent it away) the side is
     * closed for good: the other end reads end of file once it has read everything.
     */
    @Override
    public void close() {
        ShmPipe release = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ShmPipe p = pipe;
            if (p != null && held) {
                closeSide(p);
                if (!pendingHandoff) {
                    held = false;
                    release = p;
                }
            }
        }
        if (release != null) {
            release.exit();
        }
    }

    private void closeSide(ShmPipe p) { // the caller holds this, and with held the mapping
        if (p.owner(side) == ShmPipe.SELF && (usedHere || !exported) && !p.closed(side)) {
            p.markClosed(side);
        }
    }

    /** At this JVM's exit: as {@link #close()} for the other end, without unmapping anything. */
    synchronized void closeAtExit() {
        if (!closed && held && pipe != null) {
            closeSide(pipe);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- serialization -------------------------------------------------------------------------------

    @Serial
    private Object writeReplace() {
        HandOffs.noteSerialized();
        boolean watch = false;
        synchronized (this) {
            exported = true;
            if (held && !usedHere && !pendingHandoff) {
                pendingHandoff = true;
                watch = true;
            }
        }
        if (watch) {
            ShmPipe.awaitHandoff(this); // outside this: it takes ShmPipe.class
        }
        return new Ref(name, side, duplex);
    }

    /** The serialized form: the pipe's segment, and which end this is. */
    private record Ref(String name, int side, boolean duplex) implements Serializable {
        @Serial
        private Object readResolve() {
            return ShmPipe.attach(name, side, duplex);
        }
    }

    @Override
    public byte handleKind() {
        return RawHandle.PIPE_END;
    }

    @Override
    public void writeHandle(ByteWriter out) {
        Ref ref = (Ref) writeReplace();
        out.writeString(ref.name()).writeInt(ref.side()).writeBoolean(ref.duplex());
    }

    /**
     * A handle {@link #writeHandle} wrote, attached in this process as its serial form's {@code readResolve}
     * does, once the serial filter allows that form's class.
     *
     * @throws IOException if the bytes are cut short, or the filter refuses the class
     */
    public static PipeEnd readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return (PipeEnd) new Ref(in.readString(), in.readInt(), in.readBoolean()).readResolve();
    }

    @Override
    public String toString() {
        return "PipeEnd[" + name + ", side " + side + (duplex ? ", duplex" : ", one-way") + (closed ? ", closed" : "") + "]";
    }
}
