package org.multiprocessing4j.internal.conn;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * One pipe's segment as mapped in this process ({@link PipeLayout}): its rings, the words of its two
 * sides, and this process's {@link PipeEnd}s of it (one object per side, which deserializing the
 * side again returns).
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Lifecycle.</i> {@link #create} maps a new segment; {@link #mapped} maps an existing one, or
 * finds it mapped already. The mapping stays while {@code users} is positive: one for each end that
 * holds it ({@link PipeEnd}) and one for each operation in progress, so that a {@code close} in one
 * thread never unmaps memory another thread is blocked on. When {@code users} drops to 0 the segment
 * is closed, which removes it if no live process has it open any more; an end used later maps it
 * again.
 *
 * <p><i>Concurrency.</i> {@code ShmPipe.class} guards the table of mappings and each mapping's
 * {@code ends}; it is taken before an end's own lock, never after. {@code users} is atomic.
 *
 * <p><i>Handoff.</i> An end serialized here and not used here is still held until another process has
 * attached it (its pid in the side's {@code ATTACHED_BY}): until then the segment must stay, or the
 * process it was sent to would find nothing. A virtual thread looks at the ends awaiting a handoff
 * every {@link #HANDOFF_PERIOD_MILLIS} and lets go of those that arrived; it ends when none is left.
 *
 * <p><i>Failure.</i> At this JVM's exit every side this process uses is marked closed, so the other
 * side reads end of file at once; a process killed without exiting is noticed by the other side's pid
 * check ({@link ByteRing}). The segment itself is removed by the resource tracker or the sweep
 * ({@link Segments}) once no live process has it open.
 */
final class ShmPipe {
    /** This process as the pipe's words record it: pid and start time ({@link ProcessIds}). */
    static final long SELF = ProcessIds.self();
    /** Bytes in each ring ({@code -Dmp4j.pipe.ringBytes}, a power of two). */
    static final int CAPACITY = capacity(Integer.getInteger("mp4j.pipe.ringBytes", 256 << 10));
    static final long HANDOFF_PERIOD_MILLIS = 10;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final Map<String, ShmPipe> MAPPED = new HashMap<>(); // guarded by ShmPipe.class
    private static final Set<PipeEnd> AWAITING_HANDOFF = ConcurrentHashMap.newKeySet();
    private static Thread handoffWatch; // guarded by ShmPipe.class
    private static boolean exitHook;    // guarded by ShmPipe.class

    final String name;
    final boolean duplex;
    private final Segment segment;
    private final MemorySegment m;
    private final ByteRing[] rings;
    private final PipeEnd[] ends = new PipeEnd[2]; // guarded by ShmPipe.class
    private final AtomicInteger users = new AtomicInteger(1); // the one who maps it

    private ShmPipe(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.m = segment.payload();
        if ((long) LONG.getAcquire(m, PipeLayout.MAGIC_OFFSET) != PipeLayout.MAGIC) {
            throw new IllegalStateException("segment '" + name + "' does not hold a pipe");
        }
        int version = m.get(JAVA_INT, PipeLayout.VERSION_OFFSET);
        if (version != PipeLayout.VERSION) {
            throw new IllegalStateException("pipe '" + name + "' has layout version " + version
                    + ", this library reads " + PipeLayout.VERSION);
        }
        this.duplex = (m.get(JAVA_INT, PipeLayout.FLAGS_OFFSET) & PipeLayout.FLAG_DUPLEX) != 0;
        int capacity = m.get(JAVA_INT, PipeLayout.CAPACITY_OFFSET);
        int count = m.get(JAVA_INT, PipeLayout.RINGS_OFFSET);
        if (Integer.bitCount(capacity) != 1 || capacity < PipeLayout.MIN_CAPACITY || capacity > PipeLayout.MAX_CAPACITY
                || count != (duplex ? 2 : 1) || m.byteSize() < PipeLayout.payloadSize(count, capacity)) {
            throw new IllegalStateException("pipe '" + name + "' is corrupt: " + count + " rings of " + capacity
                    + " bytes in a payload of " + m.byteSize());
        }
        this.rings = new ByteRing[count];
        for (int r = 0; r < rings.length; r++) {
            rings[r] = new ByteRing(name, m, PipeLayout.ringOffset(r), PipeLayout.dataOffset(r, capacity), capacity);
        }
    }

    private static int capacity(int requested) {
        if (Integer.bitCount(requested) != 1 || requested < PipeLayout.MIN_CAPACITY
                || requested > PipeLayout.MAX_CAPACITY) {
            throw new IllegalArgumentException("mp4j.pipe.ringBytes must be a power of two in [4096, 2^30], was "
                    + requested);
        }
        return requested;
    }

    // ---- making and finding ----------------------------------------------------------------------

    /** A new pipe: both ends, held by this process. */
    static PipeEnd[] create(boolean duplex) {
        int rings = duplex ? 2 : 1;
        Segment segment = Segment.create(Segments.newName("pipe"), Kinds.PIPE, PipeLayout.payloadSize(rings, CAPACITY));
        MemorySegment m = segment.payload();
        m.set(JAVA_INT, PipeLayout.VERSION_OFFSET, PipeLayout.VERSION);
        m.set(JAVA_INT, PipeLayout.FLAGS_OFFSET, duplex ? PipeLayout.FLAG_DUPLEX : 0);
        m.set(JAVA_INT, PipeLayout.CAPACITY_OFFSET, CAPACITY);
        m.set(JAVA_INT, PipeLayout.RINGS_OFFSET, rings);
        for (int side = 0; side < 2; side++) {
            m.set(JAVA_LONG, PipeLayout.ownerOffset(side), SELF);
            m.set(JAVA_LONG, PipeLayout.attachedByOffset(side), SELF);
        }
        LONG.setRelease(m, PipeLayout.MAGIC_OFFSET, PipeLayout.MAGIC);
        ShmPipe pipe;
        try {
            pipe = new ShmPipe(segment);
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
        synchronized (ShmPipe.class) {
            installExitHook();
            MAPPED.put(pipe.name, pipe);
            PipeEnd[] ends = {pipe.adopt(new PipeEnd(pipe.name, 0, duplex)), pipe.adopt(new PipeEnd(pipe.name, 1, duplex))};
            for (PipeEnd end : ends) {
                end.attached(pipe);
            }
            pipe.exit(); // the ends hold it now
            return ends;
        }
    }

    /**
     * This process's end {@code side} of pipe {@code name} (deserialized): the object it has already,
     * or a new one, attached and holding the mapping. If the segment is gone, an end that says so when
     * it is used: its other end is gone too.
     */
    static PipeEnd attach(String name, int side, boolean duplex) {
        synchronized (ShmPipe.class) {
            ShmPipe pipe;
            try {
                pipe = mapped(name);
            } catch (IllegalStateException e) {
                return new PipeEnd(name, side, duplex);
            }
            try {
                PipeEnd end = pipe.ends[side] != null ? pipe.ends[side] : pipe.adopt(new PipeEnd(name, side, duplex));
                end.attached(pipe);
                return end;
            } finally {
                pipe.exit();
            }
        }
    }

    /** A live mapping of {@code name}, entered (the caller exits it). @throws IllegalStateException if gone */
    static ShmPipe mapped(String name) {
        synchronized (ShmPipe.class) {
            ShmPipe pipe = MAPPED.get(name);
            if (pipe != null && pipe.enter()) {
                return pipe;
            }
            Segment segment = Segment.open(name, Kinds.PIPE);
            try {
                pipe = new ShmPipe(segment);
            } catch (RuntimeException e) {
                segment.close();
                throw e;
            }
            installExitHook();
            MAPPED.put(name, pipe);
            return pipe;
        }
    }

    /** {@code end} becomes this mapping's object for its side, unless it has one. */
    PipeEnd adopt(PipeEnd end) {
        synchronized (ShmPipe.class) {
            if (ends[end.side()] == null) {
                ends[end.side()] = end;
            }
            return end;
        }
    }

    // ---- users -----------------------------------------------------------------------------------

    /** One more user of the mapping; false if it is gone already (then nothing changed). */
    boolean enter() {
        while (true) {
            int u = users.get();
            if (u <= 0) {
                return false;
            }
            if (users.compareAndSet(u, u + 1)) {
                return true;
            }
        }
    }

    /** One user fewer; the last unmaps the segment (and removes it, if no other process has it open). */
    void exit() {
        if (users.decrementAndGet() == 0) {
            synchronized (ShmPipe.class) {
                MAPPED.remove(name, this);
            }
            segment.close();
        }
    }

    // ---- shared words ----------------------------------------------------------------------------

    ByteRing ringSentBy(int side) {
        return rings[PipeLayout.ringSentBy(side, duplex)];
    }

    long owner(int side) {
        return (long) LONG.getAcquire(m, PipeLayout.ownerOffset(side));
    }

    long attachedBy(int side) {
        return (long) LONG.getAcquire(m, PipeLayout.attachedByOffset(side));
    }

    /** This process has the side now; its death ends the side unless someone uses it first. */
    void markAttached(int side) {
        LONG.setRelease(m, PipeLayout.attachedByOffset(side), SELF);
        if ((int) INT.getAcquire(m, PipeLayout.usedOffset(side)) == 0) {
            LONG.setRelease(m, PipeLayout.ownerOffset(side), SELF);
        }
    }

    /** This process uses the side: its death ends the side. */
    void markUsed(int side) {
        LONG.setRelease(m, PipeLayout.ownerOffset(side), SELF);
        INT.setRelease(m, PipeLayout.usedOffset(side), 1);
    }

    boolean closed(int side) {
        return (int) INT.getAcquire(m, PipeLayout.closedOffset(side)) != 0;
    }

    /** The side is closed for good: the other side's receiver reads end of file, its sender fails. */
    void markClosed(int side) {
        INT.setRelease(m, PipeLayout.closedOffset(side), 1);
        for (ByteRing ring : rings) {
            ring.wakeAll(); // fences before it reads the sleepers: Dekker with their check of CLOSED
        }
    }

    // ---- handoff and exit --------------------------------------------------------------------------

    /** {@code end} was serialized here: it lets go of the mapping once another process has attached it. */
    static void awaitHandoff(PipeEnd end) {
        AWAITING_HANDOFF.add(end);
        synchronized (ShmPipe.class) {
            if (handoffWatch == null) {
                handoffWatch = Thread.ofVirtual().name("mp4j-pipe-handoff").start(ShmPipe::watchHandoffs);
            }
        }
    }

    private static void watchHandoffs() {
        while (true) {
            try {
                Thread.sleep(HANDOFF_PERIOD_MILLIS);
            } catch (InterruptedException e) {
                // keep watching: a mapping must be let go of once its end arrived
            }
            AWAITING_HANDOFF.removeIf(PipeEnd::checkHandoff);
            synchronized (ShmPipe.class) {
                if (AWAITING_HANDOFF.isEmpty()) {
                    handoffWatch = null;
                    return;
                }
            }
        }
    }

    private static void installExitHook() { // the caller holds ShmPipe.class
        if (!exitHook) {
            exitHook = true;
            Runtime.getRuntime().addShutdownHook(new Thread(ShmPipe::closeUsedAtExit, "mp4j-pipes-at-exit"));
        }
    }

    /** At exit: every side this process uses is closed, so that its peer reads end of file now. */
    private static void closeUsedAtExit() {
        List<PipeEnd> ends = new ArrayList<>();
        synchronized (ShmPipe.class) {
            for (ShmPipe pipe : MAPPED.values()) {
                for (PipeEnd end : pipe.ends) {
                    if (end != null) {
                        ends.add(end);
                    }
                }
            }
        }
        for (PipeEnd end : ends) {
            end.closeAtExit();
        }
    }
}
