package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.queue.QueueLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * A bounded multi-producer multi-consumer queue of byte messages in one shared segment
 * ({@link QueueLayout}), for processes and threads alike. {@link SharedQueue} puts objects on it.
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Protocol.</i> A producer reserves a message permit on {@code COUNT} (bounded by maxsize),
 * checks that the {@code k} slots from {@code TAIL} are free for their lap, CASes the first slot's
 * sequence word from {@code FREE} to {@code CLAIMED(k, pid)}, then CASes {@code TAIL} forward by
 * {@code k} (anyone who sees a claimed slot at the tail helps: the claim carries {@code k}). It writes
 * the header and bytes, then stores {@code COMMITTED} with release semantics. A consumer CASes the
 * first slot at {@code HEAD} from {@code COMMITTED} to {@code TAKEN(k, pid)}, CASes {@code HEAD}
 * forward (again helped by others), copies the bytes out, and releases the slots (each one's word
 * becomes {@code FREE} of the next lap, the first last, with release semantics).
 *
 * <p><i>Memory ordering.</i> Data writes happen before the release store of {@code COMMITTED}; a
 * consumer reads data only after an acquire load (its CAS) saw it. A consumer's reads happen before
 * its release of the slots; a producer claims only after an acquire load saw them free. Waiting
 * sides announce themselves on a waiters word (a full fence, by getAndAdd) before the re-check;
 * the other side fences after publishing and wakes only if someone waits (Dekker-style).
 *
 * <p><i>Blocking.</i> Futex waits on {@code NOT_EMPTY}/{@code NOT_FULL}, at most 100 ms each, then
 * re-check: a lost wake-up costs 100 ms, never a hang; interrupts are noticed within that time.
 *
 * <p><i>Failure.</i> A producer killed after its claim and before its commit leaves a
 * {@code CLAIMED} record with its pid: the consumer that meets it at the head finds the pid dead,
 * takes it and releases it unread (the message was never put: its {@code put} had not returned).
 * Killed between reserving the permit and claiming (a few instructions) it leaks one permit. A
 * consumer killed while copying a message out loses that message (at most once delivery, as
 * Python's); a producer that finds its slots held by a {@code TAKEN} record of a dead pid releases
 * them. Messages larger than a quarter of the ring go through a segment of their own
 * ({@link Kinds#QUEUE_MESSAGE}), named in the record; the consumer unlinks it.
 */
final class Ring implements AutoCloseable {
    static final int DEFAULT_SLOTS = 1 << 16; // 4 MiB of records
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final long PID = ProcessHandle.current().pid();

    private final Segment segment;
    private final MemorySegment m;
    private final int slots;
    private final int shift;
    private final long mask;
    private final long data;
    private final long maxsize;
    private final int sideThreshold;

    private Ring(Segment segment) {
        this.segment = segment;
        this.m = segment.payload();
        if ((long) LONG.getAcquire(m, MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException("segment '" + segment.name() + "' does not hold a queue");
        }
        int version = m.get(JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalStateException("queue '" + segment.name() + "' has layout version " + version
                    + ", this library reads " + VERSION);
        }
        this.slots = m.get(JAVA_INT, SLOTS_OFFSET);
        this.shift = Integer.numberOfTrailingZeros(slots);
        this.mask = slots - 1;
        this.data = dataOffset(slots);
        this.maxsize = m.get(JAVA_LONG, MAXSIZE_OFFSET);
        this.sideThreshold = slots / 4 * SLOT_SIZE - RECORD_HEADER;
    }

    static Ring create(String name, boolean joinable, long maxsize, int slots) {
        if (Integer.bitCount(slots) != 1 || slots < 16 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be a power of two in [16, 2^20], was " + slots);
        }
        Segment segment = Segment.create(name, joinable ? Kinds.JOINABLE_QUEUE : Kinds.QUEUE, payloadSize(slots));
        MemorySegment m = segment.payload();
        m.set(JAVA_INT, VERSION_OFFSET, VERSION);
        m.set(JAVA_INT, FLAGS_OFFSET, joinable ? FLAG_JOINABLE : 0);
        m.set(JAVA_INT, SLOTS_OFFSET, slots);
        m.set(JAVA_INT, SLOT_SIZE_OFFSET, SLOT_SIZE);
        m.set(JAVA_LONG, MAXSIZE_OFFSET, maxsize);
        for (int i = 0; i < slots; i++) {
            m.set(JAVA_LONG, SEQ_OFFSET + 8L * i, free(0));
        }
        LONG.setRelease(m, MAGIC_OFFSET, MAGIC);
        return new Ring(segment);
    }

    static Ring open(String name, boolean joinable) {
        return new Ring(Segment.open(name, joinable ? Kinds.JOINABLE_QUEUE : Kinds.QUEUE));
    }

    String name() {
        return segment.name();
    }

    long maxsize() {
        return maxsize;
    }

    // ---- ordering-named accessors -------------------------------------------------------------

    private long lvLong(long offset) {
        return (long) LONG.getAcquire(m, offset);
    }

    private boolean casLong(long offset, long expected, long value) {
        return LONG.compareAndSet(m, offset, expected, value);
    }

    private long seqOffset(long position) {
        return SEQ_OFFSET + 8L * (position & mask);
    }

    private long lvSeq(long position) {
        return lvLong(seqOffset(position));
    }

    private void soSeq(long position, long value) {
        LONG.setRelease(m, seqOffset(position), value);
    }

    private boolean casSeq(long position, long expected, long value) {
        return casLong(seqOffset(position), expected, value);
    }

    private long lap(long position) {
        return sameLap(position >>> shift);
    }

    private int lvInt(long offset) {
        return (int) INT.getAcquire(m, offset);
    }

    private int addInt(long offset, int delta) {
        return (int) INT.getAndAdd(m, offset, delta);
    }

    private long addLong(long offset, long delta) {
        return (long) LONG.getAndAdd(m, offset, delta);
    }

    // ---- sizes ---------------------------------------------------------------------------------

    long count() {
        return Math.max(0, lvLong(COUNT_OFFSET));
    }

    long unfinished() {
        return lvLong(UNFINISHED_OFFSET);
    }

    // ---- put -------------------------------------------------------------------------------------

    /** What a put hands over: the message bytes, or a segment holding them. */
    Object prepare(byte[] message) {
        if (message.length <= sideThreshold) {
            return message;
        }
        Segment side = Segment.create(segment.name() + ".m" + Long.toHexString(System.nanoTime())
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()),
                Kinds.QUEUE_MESSAGE, message.length);
        MemorySegment.copy(MemorySegment.ofArray(message), 0, side.payload(), 0, message.length);
        String name = side.name();
        side.detach(); // the queue keeps it: Segments.keptByParent
        return new Side(name);
    }

    /** A prepared message that was not put after all. */
    void discard(Object prepared) {
        if (prepared instanceof Side side) {
            try {
                Segment.open(side.name, Kinds.QUEUE_MESSAGE).unlinkAndClose();
            } catch (IllegalStateException ignored) {
                // gone already
            }
        }
    }

    private record Side(String name) {}

    /**
     * Puts a prepared message, waiting at most {@code timeoutNanos} ({@code < 0}: forever) for room.
     * Returns false on timeout.
     */
    boolean put(Object prepared, long timeoutNanos) throws InterruptedException {
        byte[] bytes = prepared instanceof Side side ? side.name.getBytes(StandardCharsets.UTF_8) : (byte[]) prepared;
        int type = prepared instanceof Side ? TYPE_SEGMENT : TYPE_INLINE;
        int k = slotsFor(bytes.length);
        long deadline = System.nanoTime() + timeoutNanos;
        boolean joinable = (m.get(JAVA_INT, FLAGS_OFFSET) & FLAG_JOINABLE) != 0;
        while (true) {
            if (acquirePermit()) {
                if (joinable) {
                    addLong(UNFINISHED_OFFSET, 1);
                }
                long position = claim(k);
                if (position >= 0) {
                    write(position, k, bytes, type);
                    return true;
                }
                if (joinable) {
                    addLong(UNFINISHED_OFFSET, -1);
                }
                releasePermit();
                reclaim(-1 - position);
            }
            if (timeoutNanos == 0) {
                return false;
            }
            if (!awaitRoom(k, deadline, timeoutNanos < 0)) {
                return false;
            }
        }
    }

    private boolean acquirePermit() {
        while (true) {
            long c = lvLong(COUNT_OFFSET);
            if (c >= maxsize) {
                return false;
            }
            if (casLong(COUNT_OFFSET, c, c + 1)) {
                return true;
            }
        }
    }

    private void releasePermit() {
        addLong(COUNT_OFFSET, -1);
        wakeProducers();
    }

    /** The claimed position, or {@code -1 - p} where p is a position whose slot is not free yet. */
    private long claim(int k) {
        while (true) {
            long t = lvLong(TAIL_OFFSET);
            long v = lvSeq(t);
            long lap = lap(t);
            if (v == free(lap)) {
                long busy = firstBusy(t, k);
                if (busy >= 0) {
                    return -1 - busy;
                }
                if (casSeq(t, v, word(lap, k, PID, CLAIMED))) {
                    casLong(TAIL_OFFSET, t, t + k);
                    return t;
                }
            } else if (lapOf(v) == lap && stateOf(v) != FREE) {
                casLong(TAIL_OFFSET, t, t + kOf(v)); // its producer may be gone: help it along
            } else if (lapOf(v) == sameLap(lap - 1)) {
                return -1 - t; // the previous lap's record is still there
            }
            // else: t was stale; read again
        }
    }

    private long firstBusy(long t, int k) {
        for (int i = 1; i < k; i++) {
            if (lvSeq(t + i) != free(lap(t + i))) {
                return t + i;
            }
        }
        return -1;
    }

    private void write(long position, int k, byte[] bytes, int type) {
        long at = data + ((position & mask) * SLOT_SIZE);
        m.set(JAVA_INT, at, bytes.length);
        m.set(JAVA_INT, at + 4, type);
        copyIn(bytes, (position & mask) * SLOT_SIZE + RECORD_HEADER);
        soSeq(position, word(lap(position), k, PID, COMMITTED));
        VarHandle.fullFence(); // the commit before the read of the waiters (Dekker with awaitMessage)
        if (lvInt(CONSUMER_WAITERS_OFFSET) > 0) {
            addInt(NOT_EMPTY_OFFSET, 1);
            Futex.wake(m.asSlice(NOT_EMPTY_OFFSET, 4), 1);
        }
    }

    private void copyIn(byte[] bytes, long ringOffset) {
        long ringBytes = (long) slots * SLOT_SIZE;
        long start = ringOffset % ringBytes;
        int first = (int) Math.min(bytes.length, ringBytes - start);
        MemorySegment.copy(bytes, 0, m, JAVA_BYTE, data + start, first);
        if (first < bytes.length) {
            MemorySegment.copy(bytes, first, m, JAVA_BYTE, data, bytes.length - first);
        }
    }

    private byte[] copyOut(long ringOffset, int length) {
        long ringBytes = (long) slots * SLOT_SIZE;
        long start = ringOffset % ringBytes;
        byte[] bytes = new byte[length];
        int first = (int) Math.min(length, ringBytes - start);
        MemorySegment.copy(m, JAVA_BYTE, data + start, bytes, 0, first);
        if (first < length) {
            MemorySegment.copy(m, JAVA_BYTE, data, bytes, first, length - first);
        }
        return bytes;
    }

    private boolean awaitRoom(int k, long deadline, boolean forever) throws InterruptedException {
        addInt(PRODUCER_WAITERS_OFFSET, 1);
        try {
            int observed = lvInt(NOT_FULL_OFFSET);
            if (roomFor(k)) {
                return true;
            }
            return await(NOT_FULL_OFFSET, observed, deadline, forever);
        } finally {
            addInt(PRODUCER_WAITERS_OFFSET, -1);
        }
    }

    private boolean roomFor(int k) {
        if (lvLong(COUNT_OFFSET) >= maxsize) {
            return false;
        }
        long t = lvLong(TAIL_OFFSET);
        return lvSeq(t) == free(lap(t)) && firstBusy(t, k) < 0;
    }

    /** Waits one slice; false if the deadline has passed. */
    private boolean await(long offset, int observed, long deadline, boolean forever) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long remaining = forever ? WAIT_SLICE_NANOS : deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        Futex.await(m.asSlice(offset, 4), observed, Math.min(remaining, WAIT_SLICE_NANOS));
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return true;
    }

    // ---- take ------------------------------------------------------------------------------------

    /** The next message, waiting at most {@code timeoutNanos} ({@code < 0}: forever); null on timeout. */
    byte[] take(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            byte[] message = poll();
            if (message != null) {
                return message;
            }
            if (timeoutNanos == 0) {
                return null;
            }
            addInt(CONSUMER_WAITERS_OFFSET, 1);
            try {
                int observed = lvInt(NOT_EMPTY_OFFSET);
                message = poll();
                if (message != null) {
                    return message;
                }
                if (!await(NOT_EMPTY_OFFSET, observed, deadline, timeoutNanos < 0)) {
                    return null;
                }
            } finally {
                addInt(CONSUMER_WAITERS_OFFSET, -1);
            }
        }
    }

    /** The next message, or null if there is none committed at the head now. */
    byte[] poll() {
        while (true) {
            long h = lvLong(HEAD_OFFSET);
            long v = lvSeq(h);
            long lap = lap(h);
            if (lapOf(v) != lap || stateOf(v) == FREE) {
                if (lvLong(HEAD_OFFSET) == h) {
                    return null; // empty: not yet claimed, or the previous lap's record is being released
                }
                continue;
            }
            int k = kOf(v);
            switch (stateOf(v)) {
                case TAKEN -> casLong(HEAD_OFFSET, h, h + k);
                case CLAIMED -> {
                    if (Segments.isAlive(pidOf(v))) {
                        return null; // being written
                    }
                    if (casSeq(h, v, word(lap, k, PID, TAKEN))) { // its producer died: drop the record
                        casLong(HEAD_OFFSET, h, h + k);
                        addLong(COUNT_OFFSET, -1);
                        if ((m.get(JAVA_INT, FLAGS_OFFSET) & FLAG_JOINABLE) != 0) {
                            taskDone();
                        }
                        release(h, k);
                    }
                }
                default -> { // COMMITTED
                    if (casSeq(h, v, word(lap, k, PID, TAKEN))) {
                        casLong(HEAD_OFFSET, h, h + k);
                        addLong(COUNT_OFFSET, -1);
                        byte[] message = read(h);
                        release(h, k);
                        return message;
                    }
                }
            }
        }
    }

    private byte[] read(long position) {
        long at = data + ((position & mask) * SLOT_SIZE);
        int length = m.get(JAVA_INT, at);
        int type = m.get(JAVA_INT, at + 4);
        byte[] bytes = copyOut((position & mask) * SLOT_SIZE + RECORD_HEADER, length);
        if (type == TYPE_INLINE) {
            return bytes;
        }
        Segment side = Segment.open(new String(bytes, StandardCharsets.UTF_8), Kinds.QUEUE_MESSAGE);
        try {
            MemorySegment payload = side.payload();
            byte[] message = new byte[Math.toIntExact(payload.byteSize())];
            MemorySegment.copy(payload, JAVA_BYTE, 0, message, 0, message.length);
            return message;
        } finally {
            side.unlinkAndClose();
        }
    }

    private void release(long position, int k) {
        for (int i = 1; i < k; i++) {
            soSeq(position + i, free(lap(position + i + slots)));
        }
        soSeq(position, free(lap(position + slots)));
        wakeProducers();
    }

    private void wakeProducers() {
        VarHandle.fullFence(); // the release before the read of the waiters (Dekker with awaitRoom)
        if (lvInt(PRODUCER_WAITERS_OFFSET) > 0) {
            addInt(NOT_FULL_OFFSET, 1);
            Futex.wake(m.asSlice(NOT_FULL_OFFSET, 4), Integer.MAX_VALUE);
        }
    }

    /**
     * The slot of {@code position} is still held by the previous lap: if by a record a dead consumer
     * took, release that record. Walks back from the previous lap's position to the record's first slot.
     */
    private void reclaim(long position) {
        long old = position - slots;
        for (long p = old; p >= 0 && p > old - slots; p--) {
            long v = lvSeq(p);
            if (v == free(lap(p))) {
                continue; // a record's later slot: keep walking to its first
            }
            if (lapOf(v) == lap(p) && stateOf(v) == TAKEN && p + kOf(v) > old && !Segments.isAlive(pidOf(v))
                    && casSeq(p, v, word(lap(p), kOf(v), PID, TAKEN))) {
                release(p, kOf(v));
            }
            return;
        }
    }

    // ---- joinable ------------------------------------------------------------------------------

    void taskDone() {
        while (true) {
            long u = lvLong(UNFINISHED_OFFSET);
            if (u <= 0) {
                throw new IllegalStateException("taskDone() called more times than there were items put");
            }
            if (casLong(UNFINISHED_OFFSET, u, u - 1)) {
                if (u == 1) {
                    addInt(JOINED_OFFSET, 1);
                    VarHandle.fullFence();
                    if (lvInt(JOIN_WAITERS_OFFSET) > 0) {
                        Futex.wake(m.asSlice(JOINED_OFFSET, 4), Integer.MAX_VALUE);
                    }
                }
                return;
            }
        }
    }

    void join() throws InterruptedException {
        while (lvLong(UNFINISHED_OFFSET) > 0) {
            addInt(JOIN_WAITERS_OFFSET, 1);
            try {
                int observed = lvInt(JOINED_OFFSET);
                if (lvLong(UNFINISHED_OFFSET) <= 0) {
                    return;
                }
                await(JOINED_OFFSET, observed, 0, true);
            } finally {
                addInt(JOIN_WAITERS_OFFSET, -1);
            }
        }
    }

    // ---- snapshot ------------------------------------------------------------------------------

    /** The messages committed now, head to tail, each read and then checked still there (seqlock). */
    java.util.List<byte[]> snapshot() {
        java.util.List<byte[]> messages = new java.util.ArrayList<>();
        long p = lvLong(HEAD_OFFSET);
        long end = lvLong(TAIL_OFFSET);
        while (p < end) {
            long v = lvSeq(p);
            if (lapOf(v) != lap(p) || stateOf(v) == FREE) {
                break;
            }
            if (stateOf(v) == COMMITTED) {
                try {
                    byte[] copy = peekRecord(p);
                    if (lvSeq(p) == v && copy != null) {
                        messages.add(copy);
                    }
                } catch (RuntimeException e) {
                    // taken meanwhile: not in the snapshot
                }
            }
            p += kOf(v);
        }
        return messages;
    }

    private byte[] peekRecord(long position) {
        long at = data + ((position & mask) * SLOT_SIZE);
        int length = m.get(JAVA_INT, at);
        int type = m.get(JAVA_INT, at + 4);
        if (length < 0 || length > (long) slots * SLOT_SIZE) {
            return null;
        }
        byte[] bytes = copyOut((position & mask) * SLOT_SIZE + RECORD_HEADER, length);
        if (type == TYPE_INLINE) {
            return bytes;
        }
        Segment side = Segment.open(new String(bytes, StandardCharsets.UTF_8), Kinds.QUEUE_MESSAGE);
        try {
            MemorySegment payload = side.payload();
            byte[] message = new byte[Math.toIntExact(payload.byteSize())];
            MemorySegment.copy(payload, JAVA_BYTE, 0, message, 0, message.length);
            return message;
        } finally {
            side.detach(); // still the queue's: never removed by a peek
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Detaches this process; the last user to close removes the queue and any message segments left. */
    @Override
    public void close() {
        String name = segment.name();
        segment.close();
        if (!java.nio.file.Files.exists(Segments.directory().resolve("mp4j." + name))) {
            Segments.removeMessages(name);
        }
    }
}
