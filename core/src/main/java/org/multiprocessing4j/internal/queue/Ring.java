package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.queue.QueueLayout.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.ProcessIds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * A bounded multi-producer multi-consumer queue of encoded values ({@link ValueCodec}) in one shared
 * segment ({@link QueueLayout}), for processes and threads alike. {@link SharedQueue} is its face.
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Protocol.</i> A producer reserves a message permit on {@code PUTS} (bounded by maxsize against
 * {@code TAKES}), checks that the {@code k} slots from {@code TAIL} are free for their lap, CASes the
 * first slot's sequence word from {@code FREE} to {@code CLAIMED(k, pid)}, then CASes {@code TAIL}
 * forward by {@code k} (anyone who sees a claimed slot at the tail helps: the claim carries {@code k}).
 * It writes the header and the value's encoding straight into the slots, then CASes the claim to
 * {@code COMMITTED} (release semantics). A consumer CASes the first slot at {@code HEAD} from
 * {@code COMMITTED} to {@code TAKEN(k, pid)}, CASes {@code HEAD} forward (again helped by others),
 * decodes the value from the slots (a serialized object is only copied out, and deserialized after
 * the release), and releases the slots (each one's word becomes {@code FREE} of the next lap, the
 * first last, with release semantics), counting itself on {@code TAKES} just before the first. Each
 * CAS that puts a pid in a word is followed by the store of the slot's {@code OWNER}, the process's
 * identity ({@link ProcessIds}: pid and start time).
 *
 * <p><i>Memory ordering.</i> Data writes happen before the release store of {@code COMMITTED}; a
 * consumer reads data only after an acquire load (its CAS) saw it. A consumer's reads happen before
 * its release of the slots; a producer claims only after an acquire load saw them free. Waiting
 * sides announce themselves on a waiters word (a full fence, by getAndAdd) before the re-check;
 * the other side fences after publishing and wakes only if someone waits (Dekker-style).
 *
 * <p><i>Blocking.</i> A put or take that cannot proceed first spins (the other side is usually a
 * fraction of a microsecond away: a futex sleep and wake would cost both sides a system call and the
 * sleeper a scheduling delay), then yields, then waits on the futex {@code NOT_EMPTY}/{@code NOT_FULL},
 * at most 100 ms at a time, and re-checks: a lost wake-up costs 100 ms, never a hang; interrupts are
 * noticed within that time. Nobody makes a futex call while nobody sleeps.
 *
 * <p><i>Failure.</i> A producer killed after its claim and before its commit leaves a
 * {@code CLAIMED} record: a consumer that waits behind it finds its writer dead, takes it and releases
 * it unread (the message was never put: its {@code put} had not returned); a writer whose claim was
 * taken over so (only if it was wrongly found dead) fails its commit CAS and puts again. Killed
 * between its permit and its claim, its permit is pending in its {@code PROCS} entry and a producer
 * or joiner about to sleep gives it back. A consumer killed while copying a message out loses that
 * message (at most once delivery, as Python's) but leaves its record {@code TAKEN} and uncounted: a
 * producer about to sleep releases and counts the {@code TAKEN} records of dead processes. Each
 * recovery errs towards one message more than maxsize (a death in the one store between a mark and
 * its permit), never towards a hang. Liveness is checked by a side about to sleep and by a
 * non-blocking poll, never on the spinning path, and a writer found alive is not asked about again
 * for 50 ms. Lengths, types and names read from the segment are checked before use: corrupt bytes
 * are an {@link IllegalStateException} that names the queue.
 *
 * <p><i>Concurrency.</i> Any thread of any attached process may call anything. The process-local
 * fields ({@code takesSeen}, {@code putsSeen}, the liveness hint) are caches of shared words that
 * grow, or of answers that go stale: a stale value sends a check to the shared word (or to
 * {@code /proc}) again, or delays a dead writer's drop by 50 ms. ({@code PUTS} also falls back when
 * a put that reserved a permit finds no room; a {@code taskDone} racing such a put may be checked
 * against the higher value, as it was against the one counter before.)
 * Messages larger than a quarter of the ring go through a segment of their own
 * ({@link Kinds#QUEUE_MESSAGE}), named in the record; the consumer unlinks it.
 */
final class Ring implements AutoCloseable {
    static final int DEFAULT_SLOTS = 1 << 16; // 4 MiB of records
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a blocked side busy-waits, then how long it yields, before it sleeps on the futex. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long ALIVE_FOR_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final long PID = ProcessHandle.current().pid();
    private static final long SELF = ProcessIds.self();
    /** A {@code PROCS} identity with this bit is being recovered by the process it names otherwise. */
    private static final long RECOVERING = 1L << 31;
    private static final long UNREGISTERED = -2;
    /** The longest side-segment name a record may carry (a queue's name, ".m", a suffix). */
    private static final int MAX_SIDE_NAME = 255;
    /**
     * Tests only ({@code -Dmp4j.test.queuePark=POINT:FILE}): a put ({@code permit}, after its permit and
     * before its claim; {@code claim}, after its claim and before its commit) or a take ({@code take},
     * after it took a record and before it counted it) creates FILE and waits there until FILE.go
     * exists, so that a test can kill the process just there. Read once: a JIT folds it away.
     */
    private static final String PARK = System.getProperty("mp4j.test.queuePark");

    static {
        // The codec every put and take calls, loaded with the ring by the thread that makes or opens
        // it: left to the first puts, thousands of virtual threads would wait for its class loading
        // at once, each pinning its carrier (a class loader's lock is taken in a native frame).
        ValueCodec.rawSize(0);
    }
    private static final java.util.concurrent.atomic.AtomicBoolean PARKED = new java.util.concurrent.atomic.AtomicBoolean();

    private final Segment segment;
    private final MemorySegment m;
    private final MemorySegment notEmpty;
    private final MemorySegment notFull;
    private final MemorySegment joined;
    private final int slots;
    private final int shift;
    private final long mask;
    private final long data;
    private final long ringBytes;
    private final long maxsize;
    private final boolean joinable;
    private final int sideThreshold;
    private final boolean unbounded;
    /** A value {@code TAKES} had (it only grows): a bounded put reads the word when this says full. */
    private volatile long takesSeen;
    /** A value {@code PUTS} had, for taskDone's check. */
    private volatile long putsSeen;
    /** The last claimed record's word whose writer was found alive, and when (racy: a hint only). */
    private long aliveWord;
    private long aliveOwner;
    private long aliveSince;
    /** This process's {@code PROCS} entry's offset, -1 if the table was full, or {@link #UNREGISTERED}. */
    private volatile long procEntry = UNREGISTERED;
    /** When this process last looked for the leftovers of dead processes (racy: a hint only). */
    private long recoveredAt = System.nanoTime() - WAIT_SLICE_NANOS;

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
        if (Integer.bitCount(slots) != 1 || slots < 16 || slots > MAX_SLOTS || m.byteSize() < payloadSize(slots)
                || m.get(JAVA_INT, SLOT_SIZE_OFFSET) != SLOT_SIZE || m.get(JAVA_LONG, MAXSIZE_OFFSET) < 1) {
            throw new IllegalStateException("queue '" + segment.name() + "' is corrupt: " + m.get(JAVA_INT, SLOTS_OFFSET)
                    + " slots of " + m.get(JAVA_INT, SLOT_SIZE_OFFSET) + " bytes, maxsize "
                    + m.get(JAVA_LONG, MAXSIZE_OFFSET) + ", in a payload of " + m.byteSize() + " bytes");
        }
        this.shift = Integer.numberOfTrailingZeros(slots);
        this.mask = slots - 1;
        this.data = dataOffset(slots);
        this.ringBytes = (long) slots * SLOT_SIZE;
        this.maxsize = m.get(JAVA_LONG, MAXSIZE_OFFSET);
        this.joinable = (m.get(JAVA_INT, FLAGS_OFFSET) & FLAG_JOINABLE) != 0;
        this.unbounded = maxsize >= Integer.MAX_VALUE;
        this.sideThreshold = slots / 4 * SLOT_SIZE - RECORD_HEADER;
        this.notEmpty = m.asSlice(NOT_EMPTY_OFFSET, 4);
        this.notFull = m.asSlice(NOT_FULL_OFFSET, 4);
        this.joined = m.asSlice(JOINED_OFFSET, 4);
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
            m.set(JAVA_LONG, SEQ_OFFSET + SEQ_STRIDE * i, free(0));
        }
        LONG.setRelease(m, MAGIC_OFFSET, MAGIC);
        return new Ring(segment);
    }

    static Ring open(String name, boolean joinable) {
        Segment segment = Segment.open(name, joinable ? Kinds.JOINABLE_QUEUE : Kinds.QUEUE);
        try {
            return new Ring(segment);
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    String name() {
        return segment.name();
    }

    /** A queue of this ring is serialized for another process ({@link Segment#handOff()}). */
    void handOff() {
        segment.handOff();
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
        return SEQ_OFFSET + SEQ_STRIDE * (position & mask);
    }

    private long lvOwner(long position) {
        return lvLong(seqOffset(position) + OWNER);
    }

    private void soOwner(long position, long identity) {
        LONG.setRelease(m, seqOffset(position) + OWNER, identity);
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

    /** Messages in the queue (put or being put, not yet taken). */
    long count() {
        long takes = lvLong(TAKES_OFFSET); // first: TAKES never passes PUTS, read in this order
        return Math.max(0, lvLong(PUTS_OFFSET) - takes);
    }

    long unfinished() {
        long done = lvLong(DONE_OFFSET);
        return lvLong(PUTS_OFFSET) - done;
    }

    // ---- put -------------------------------------------------------------------------------------

    /**
     * What a put hands over: the value itself if its raw encoding fits the ring (written in place),
     * else its encoding in an array, or in a segment of its own when it is too large for the ring.
     */
    Object prepare(Object value) throws IOException {
        long raw = ValueCodec.rawSize(value);
        if (raw >= 0 && raw <= sideThreshold) {
            return value;
        }
        byte[] encoded = raw >= 0 ? null : ValueCodec.encode(value);
        long length = raw >= 0 ? raw : encoded.length;
        if (length <= sideThreshold) {
            return new Encoded(encoded);
        }
        Segment side = Segment.create(segment.name() + ".m" + Long.toHexString(System.nanoTime())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()), Kinds.QUEUE_MESSAGE, length);
        try {
            if (encoded == null) {
                ValueCodec.writeRaw(value, side.payload(), 0);
            } else {
                MemorySegment.copy(encoded, 0, side.payload(), JAVA_BYTE, 0, encoded.length);
            }
        } catch (RuntimeException | Error e) {
            side.unlinkAndClose();
            throw e;
        }
        String name = side.name();
        side.detach(); // the queue keeps it: Segments.keptByParent
        return new Side(name, name.getBytes(StandardCharsets.UTF_8));
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

    /** A value's encoding, for one whose encoding is not written in place. */
    record Encoded(byte[] bytes) {}

    private record Side(String name, byte[] nameBytes) {}

    private static int bodyLength(Object prepared) {
        if (prepared instanceof Encoded e) {
            return e.bytes.length;
        }
        if (prepared instanceof Side side) {
            return side.nameBytes.length;
        }
        return (int) ValueCodec.rawSize(prepared);
    }

    /**
     * Puts a prepared message, waiting at most {@code timeoutNanos} ({@code < 0}: forever) for room.
     * Returns false on timeout.
     */
    boolean put(Object prepared, long timeoutNanos) throws InterruptedException {
        int length = bodyLength(prepared);
        int k = slotsFor(length);
        if (tryPut(prepared, length, k)) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        BackOff backOff = new BackOff();
        while (backOff.pause()) {
            if (roomFor(k) && tryPut(prepared, length, k)) {
                return true;
            }
            if (backOff.timedOut(timeoutNanos)) {
                return false;
            }
        }
        long deadline = backOff.start + timeoutNanos;
        while (true) {
            if (!awaitRoom(k, deadline, timeoutNanos < 0)) {
                return false;
            }
            if (tryPut(prepared, length, k)) {
                return true;
            }
        }
    }

    /**
     * One attempt: a permit (counted as pending in this process's {@code PROCS} entry until the claim,
     * so that a death in between gives it back), a claim, the record. A claim taken over as a dead
     * writer's (a pid the kernel reused, see {@link #holderAlive}) loses its permit with it: the put
     * tries again.
     */
    private boolean tryPut(Object prepared, int length, int k) {
        long entry = entry();
        while (true) {
            if (entry >= 0) {
                addLong(entry + PROC_PENDING_PUTS, 1);
            }
            if (!acquirePermit()) {
                unmark(entry);
                return false;
            }
            parkIf("permit");
            long position = claim(k);
            if (position < 0) {
                releasePermit(); // first: a death between the two returns a permit twice, never none
                unmark(entry);
                return false;
            }
            unmark(entry);
            parkIf("claim");
            if (write(position, k, prepared, length)) {
                return true;
            }
        }
    }

    private void unmark(long entry) {
        if (entry >= 0) {
            addLong(entry + PROC_PENDING_PUTS, -1);
        }
    }

    private boolean acquirePermit() {
        if (unbounded) { // the ring, a slot or more per message, is the only bound
            addLong(PUTS_OFFSET, 1);
            return true;
        }
        while (true) {
            long puts = lvLong(PUTS_OFFSET);
            if (puts - takesSeen >= maxsize) {
                takesSeen = lvLong(TAKES_OFFSET);
                if (puts - takesSeen >= maxsize) {
                    return false;
                }
            }
            if (casLong(PUTS_OFFSET, puts, puts + 1)) {
                return true;
            }
        }
    }

    private void releasePermit() {
        addLong(PUTS_OFFSET, -1);
        wakeProducers(); // one waiting for a permit may take this one
        if (joinable) {
            signalIfJoined(); // the unfinished count went down without a taskDone
        }
    }

    /** The claimed position, or -1 if the slots at the tail are not free yet. */
    private long claim(int k) {
        while (true) {
            long t = lvLong(TAIL_OFFSET);
            long v = lvSeq(t);
            long lap = lap(t);
            if (v == free(lap)) {
                if (firstBusy(t, k) >= 0) {
                    return -1;
                }
                if (casSeq(t, v, word(lap, k, PID, CLAIMED))) {
                    soOwner(t, SELF);
                    casLong(TAIL_OFFSET, t, t + k);
                    return t;
                }
            } else if (lapOf(v) == lap && stateOf(v) != FREE) {
                casLong(TAIL_OFFSET, t, t + kOf(v)); // its producer may be gone: help it along
            } else if (lapOf(v) == sameLap(lap - 1)) {
                return -1; // the previous lap's record is still there
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

    /** Writes the record and commits it; false if the claim was taken over meanwhile (not committed). */
    private boolean write(long position, int k, Object prepared, int length) {
        long start = (position & mask) * SLOT_SIZE;
        m.set(JAVA_LONG, data + start, header(length, prepared instanceof Side ? TYPE_SEGMENT : TYPE_INLINE));
        long body = start + RECORD_HEADER; // < ringBytes - 1: the header ends inside the first slot
        if (prepared instanceof Encoded e) {
            copyIn(e.bytes, body);
        } else if (prepared instanceof Side side) {
            copyIn(side.nameBytes, body);
        } else {
            ValueCodec.writeRaw(prepared, m, data, ringBytes, body); // wraps at the end of the ring
        }
        long lap = lap(position);
        if (!casSeq(position, word(lap, k, PID, CLAIMED), word(lap, k, PID, COMMITTED))) {
            return false; // dropped as a dead writer's: the slots may be someone else's now
        }
        VarHandle.fullFence(); // the commit before the read of the waiters (Dekker with take)
        if (lvInt(CONSUMER_WAITERS_OFFSET) > 0) {
            addInt(NOT_EMPTY_OFFSET, 1);
            Futex.wake(notEmpty, 1);
        }
        return true;
    }

    private void copyIn(byte[] bytes, long ringOffset) {
        long start = ringOffset % ringBytes;
        int first = (int) Math.min(bytes.length, ringBytes - start);
        MemorySegment.copy(bytes, 0, m, JAVA_BYTE, data + start, first);
        if (first < bytes.length) {
            MemorySegment.copy(bytes, first, m, JAVA_BYTE, data, bytes.length - first);
        }
    }

    private byte[] copyOut(long ringOffset, int length) {
        long start = ringOffset % ringBytes;
        byte[] bytes = new byte[length];
        int first = (int) Math.min(length, ringBytes - start);
        MemorySegment.copy(m, JAVA_BYTE, data + start, bytes, 0, first);
        if (first < length) {
            MemorySegment.copy(m, JAVA_BYTE, data, bytes, first, length - first);
        }
        return bytes;
    }

    /** One futex wait for room (after a re-check), releasing a dead consumer's record in the way. */
    private boolean awaitRoom(int k, long deadline, boolean forever) throws InterruptedException {
        addInt(PRODUCER_WAITERS_OFFSET, 1);
        try {
            int observed = lvInt(NOT_FULL_OFFSET);
            if (roomFor(k)) {
                return true;
            }
            reclaim(lvLong(TAIL_OFFSET), k);
            recoverDead();
            if (roomFor(k)) {
                return true;
            }
            return await(notFull, observed, deadline, forever);
        } finally {
            addInt(PRODUCER_WAITERS_OFFSET, -1);
        }
    }

    private boolean roomFor(int k) {
        long puts = lvLong(PUTS_OFFSET);
        if (puts - takesSeen >= maxsize && puts - (takesSeen = lvLong(TAKES_OFFSET)) >= maxsize) {
            return false;
        }
        long t = lvLong(TAIL_OFFSET);
        return lvSeq(t) == free(lap(t)) && firstBusy(t, k) < 0;
    }

    /**
     * The first phase of a blocked put or take, before it sleeps on a futex: it busy-waits for
     * {@link #SPIN_NANOS}, then yields the processor for {@link #YIELD_NANOS} more, trying again after
     * each pause. The clock is read every 16 pauses while spinning, after every one while yielding.
     */
    private static final class BackOff {
        final long start = System.nanoTime();
        private long spun;
        private int pauses;

        /** Pauses once; false when the phase is over (time to sleep). */
        boolean pause() {
            if (spun >= SPIN_NANOS + YIELD_NANOS) {
                return false;
            }
            pauses++;
            if (spun < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            return true;
        }

        /** After a failed try: whether {@code timeoutNanos} ({@code > 0}; else never) has passed. */
        boolean timedOut(long timeoutNanos) throws InterruptedException {
            if ((pauses & 15) == 0 || spun >= SPIN_NANOS) {
                spun = System.nanoTime() - start;
                if (timeoutNanos > 0 && spun >= timeoutNanos) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return false;
        }
    }

    /** Waits one slice; false if the deadline has passed. */
    private boolean await(MemorySegment word, int observed, long deadline, boolean forever)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long remaining = forever ? WAIT_SLICE_NANOS : deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        Futex.await(word, observed, Math.min(remaining, WAIT_SLICE_NANOS));
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return true;
    }

    // ---- take ------------------------------------------------------------------------------------

    /**
     * The next value, waiting at most {@code timeoutNanos} ({@code < 0}: forever); null on timeout.
     * An {@link Encoded} value is still to be decoded (it needs the serializer).
     */
    Object take(long timeoutNanos) throws InterruptedException {
        Object value = poll(timeoutNanos == 0);
        if (value != null || timeoutNanos == 0) {
            return value;
        }
        BackOff backOff = new BackOff();
        while (backOff.pause()) {
            value = poll(false);
            if (value != null) {
                return value;
            }
            if (backOff.timedOut(timeoutNanos)) {
                return poll(true);
            }
        }
        long deadline = backOff.start + timeoutNanos;
        while (true) {
            addInt(CONSUMER_WAITERS_OFFSET, 1);
            try {
                int observed = lvInt(NOT_EMPTY_OFFSET);
                value = poll(true);
                if (value != null) {
                    return value;
                }
                if (!await(notEmpty, observed, deadline, timeoutNanos < 0)) {
                    return null;
                }
            } finally {
                addInt(CONSUMER_WAITERS_OFFSET, -1);
            }
            value = poll(false);
            if (value != null) {
                return value;
            }
        }
    }

    /**
     * The next value, or null if there is none committed at the head now. With {@code checkDead}, a
     * record at the head still being written by a process that died is dropped.
     */
    Object poll(boolean checkDead) {
        while (true) {
            long h = lvLong(HEAD_OFFSET);
            long v = lvSeq(h);
            long lap = lap(h);
            if (lapOf(v) == lap && stateOf(v) == COMMITTED) {
                int k = kOf(v);
                if (casSeq(h, v, word(lap, k, PID, TAKEN))) {
                    soOwner(h, SELF);
                    casLong(HEAD_OFFSET, h, h + k);
                    parkIf("take");
                    try {
                        return read(h, k);
                    } finally {
                        release(h, k); // counts it taken
                    }
                }
            } else if (!moveOn(h, v, lap, checkDead)) {
                return null;
            }
        }
    }

    /**
     * Takes up to {@code max} values committed at the head now, in order, into {@code out} (an
     * {@link Encoded} one still to be decoded); returns how many. As many polls, but producers
     * waiting for room are looked for (a fence and a read) once, at the end.
     */
    int drain(int max, List<Object> out) {
        int n = 0;
        try {
            while (n < max) {
                long h = lvLong(HEAD_OFFSET);
                long v = lvSeq(h);
                long lap = lap(h);
                if (lapOf(v) == lap && stateOf(v) == COMMITTED) {
                    int k = kOf(v);
                    if (casSeq(h, v, word(lap, k, PID, TAKEN))) {
                        soOwner(h, SELF);
                        casLong(HEAD_OFFSET, h, h + k);
                        n++;
                        try {
                            out.add(read(h, k));
                        } finally {
                            freeSlots(h, k);
                        }
                    }
                } else if (!moveOn(h, v, lap, true)) {
                    break;
                }
            }
        } finally {
            if (n > 0) {
                wakeProducers();
            }
        }
        return n;
    }

    /**
     * The head {@code h} (sequence word {@code v}) holds no committed record: helps the head past a
     * taken one, drops a dead producer's (with {@code checkDead}). False if there is nothing to take
     * at the head now, true to read the head again.
     */
    private boolean moveOn(long h, long v, long lap, boolean checkDead) {
        if (lapOf(v) != lap || stateOf(v) == FREE) {
            return lvLong(HEAD_OFFSET) != h; // else empty: not yet claimed, or the previous lap's record is being released
        }
        int k = kOf(v);
        if (stateOf(v) == TAKEN) {
            casLong(HEAD_OFFSET, h, h + k);
            return true;
        }
        if (!checkDead || holderAlive(h, v)) {
            return false; // CLAIMED: being written
        }
        if (casSeq(h, v, word(lap, k, PID, TAKEN))) { // its producer died: drop the record
            soOwner(h, SELF);
            casLong(HEAD_OFFSET, h, h + k);
            if (joinable) {
                done(); // its put never returned: give its task back
            }
            release(h, k);
        }
        return true;
    }

    /**
     * Whether the process that claimed or took the record at {@code position} (sequence word {@code v})
     * is alive: the process the slot's {@code OWNER} names, pid and start time, so that a pid reused by a
     * new process does not keep a dead writer's record for ever; by the pid alone if {@code OWNER} is not
     * stored yet. A word found alive is not asked about again for {@link #ALIVE_FOR_NANOS}: asking reads
     * {@code /proc}, and a consumer may meet the same record, still being written, many times.
     */
    private boolean holderAlive(long position, long v) {
        long owner = lvOwner(position);
        boolean known = ownerMatches(owner, v);
        if (known ? owner == SELF : pidOf(v) == PID) {
            return true;
        }
        long now = System.nanoTime();
        if (v == aliveWord && owner == aliveOwner && now - aliveSince < ALIVE_FOR_NANOS) {
            return true;
        }
        if (known ? !ProcessIds.alive(owner) : ProcessIds.identityOf(pidOf(v)) == 0) {
            return false;
        }
        aliveWord = v;
        aliveOwner = owner;
        aliveSince = now;
        return true;
    }

    /**
     * Decodes a raw value in place; copies anything else out (the caller decodes after the release).
     * The record's header is checked against its {@code k} slots first: a length or type that does not
     * fit is refused as corrupt, before anything is allocated.
     */
    private Object read(long position, int k) {
        long start = (position & mask) * SLOT_SIZE;
        long header = m.get(JAVA_LONG, data + start);
        int length = lengthOf(header);
        int type = typeOf(header);
        checkRecord(position, k, length, type);
        long body = start + RECORD_HEADER;
        if (type == TYPE_INLINE && ValueCodec.isRaw(m, data + body, length)) {
            try { // the tag is in the first slot; the rest may wrap
                return ValueCodec.readRaw(m, data, ringBytes, body, length);
            } catch (IOException | RuntimeException e) {
                throw corrupt("the record at position " + position + " does not decode (" + e + ")", e);
            }
        }
        return readOther(position, length, type, true);
    }

    /** A record of {@code k} slots holds at most {@code k * SLOT_SIZE - RECORD_HEADER} bytes. */
    private void checkRecord(long position, int k, int length, int type) {
        if (k < 1 || k > slots || length < 0 || RECORD_HEADER + (long) length > (long) k * SLOT_SIZE
                || type != TYPE_INLINE && type != TYPE_SEGMENT || type == TYPE_SEGMENT && length > MAX_SIDE_NAME) {
            throw corrupt("the record at position " + position + " says " + length + " bytes of type " + type
                    + " in " + k + " slots", null);
        }
    }

    private IllegalStateException corrupt(String what, Throwable cause) {
        return new IllegalStateException("queue '" + segment.name() + "' is corrupt: " + what, cause);
    }

    /** An encoded value, or a message segment's contents (which a take removes and a peek leaves). */
    private Object readOther(long position, int length, int type, boolean take) {
        long start = (position & mask) * SLOT_SIZE;
        byte[] bytes = copyOut(start + RECORD_HEADER, length);
        if (type == TYPE_INLINE) {
            return new Encoded(bytes);
        }
        String name = new String(bytes, StandardCharsets.UTF_8);
        if (!name.startsWith(segment.name() + ".m")) { // a record never names a segment but its queue's own
            throw corrupt("the record at position " + position + " names the segment '" + name + "'", null);
        }
        Segment side;
        try {
            side = Segment.open(name, Kinds.QUEUE_MESSAGE);
        } catch (IllegalArgumentException e) {
            throw corrupt("the record at position " + position + " names the segment '" + name + "'", e);
        }
        try {
            return fromSide(side.payload());
        } finally {
            if (take) {
                side.unlinkAndClose();
            } else {
                side.detach(); // still the queue's: never removed by a peek
            }
        }
    }

    private static Object fromSide(MemorySegment payload) {
        long length = payload.byteSize();
        if (ValueCodec.isRaw(payload, 0, length)) {
            return decodeRaw(payload, 0, length);
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a queue message segment of " + length + " bytes: larger than any message");
        }
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(payload, JAVA_BYTE, 0, bytes, 0, bytes.length);
        return new Encoded(bytes);
    }

    private static Object decodeRaw(MemorySegment from, long offset, long length) {
        try {
            return ValueCodec.readRaw(from, offset, length);
        } catch (IOException e) {
            throw new IllegalStateException("a queue record does not decode", e); // isRaw said it would
        }
    }

    private void release(long position, int k) {
        freeSlots(position, k);
        wakeProducers();
    }

    /**
     * Frees a taken record's slots for the next lap and counts it on {@code TAKES}: counted at the
     * release, not at the take, so that a record whose taker died before counting it is still
     * {@code TAKEN} and is counted by whoever releases it ({@link #recoverDead}). The count comes just
     * before the first slot's word, which is the record's state.
     */
    private void freeSlots(long position, int k) {
        for (int i = 1; i < k; i++) {
            soSeq(position + i, free(lap(position + i + slots)));
        }
        soOwner(position, 0);
        addLong(TAKES_OFFSET, 1);
        soSeq(position, free(lap(position + slots)));
    }

    private void wakeProducers() {
        VarHandle.fullFence(); // the release before the read of the waiters (Dekker with awaitRoom)
        if (lvInt(PRODUCER_WAITERS_OFFSET) > 0) {
            addInt(NOT_FULL_OFFSET, 1);
            Futex.wake(notFull, Integer.MAX_VALUE);
        }
    }

    /**
     * The slots from the tail position {@code t} are still held by the previous lap: if by a record
     * a dead consumer took, release that record. Walks back from the previous lap's position to the
     * record's first slot.
     */
    private void reclaim(long t, int k) {
        long blocked = t;
        long v = lvSeq(t);
        if (v == free(lap(t))) {
            long busy = firstBusy(t, k);
            if (busy < 0) {
                return;
            }
            blocked = busy;
        } else if (lapOf(v) == lap(t)) {
            return; // claimed in this lap already: the tail moves on
        }
        long old = blocked - slots;
        for (long p = old; p >= 0 && p > old - slots; p--) {
            long w = lvSeq(p);
            if (w == free(lap(p))) {
                continue; // a record's later slot: keep walking to its first
            }
            if (lapOf(w) == lap(p) && stateOf(w) == TAKEN && p + kOf(w) > old && !holderAlive(p, w)
                    && casSeq(p, w, word(lap(p), kOf(w), PID, TAKEN))) {
                soOwner(p, SELF);
                release(p, kOf(w));
            }
            return;
        }
    }

    // ---- recovery from dead processes ------------------------------------------------------------

    /**
     * Gives back what processes that died left behind, at most once a {@link #WAIT_SLICE_NANOS} per
     * process (a blocked side calls it before each sleep): the permits a producer took and had not
     * claimed slots for ({@code PROCS}), and the records a consumer took and had not released and
     * counted ({@code TAKEN} records of a dead process, between a lap behind the head and the head).
     */
    private void recoverDead() {
        long now = System.nanoTime();
        if (now - recoveredAt < WAIT_SLICE_NANOS) {
            return;
        }
        recoveredAt = now;
        recoverPermits();
        recoverTaken();
    }

    private void recoverPermits() {
        for (int i = 0; i < PROC_ENTRIES; i++) {
            long entry = procOffset(i);
            long identity = lvLong(entry + PROC_IDENTITY);
            if (identity == 0 || identity == SELF || lvLong(entry + PROC_PENDING_PUTS) == 0
                    || ProcessIds.alive(identity & ~RECOVERING)) {
                continue; // a live process's permits are in flight, a few instructions from their claims
            }
            if (casLong(entry + PROC_IDENTITY, identity, SELF | RECOVERING)) {
                long pending = (long) LONG.getAndSet(m, entry + PROC_PENDING_PUTS, 0L);
                if (pending > 0) {
                    addLong(PUTS_OFFSET, -pending);
                    wakeProducers();
                    if (joinable) {
                        signalIfJoined();
                    }
                }
                LONG.setRelease(m, entry + PROC_IDENTITY, 0L);
            }
        }
    }

    private void recoverTaken() {
        long head = lvLong(HEAD_OFFSET);
        for (long p = Math.max(0, head - slots); p <= head; p++) {
            long w = lvSeq(p);
            if (lapOf(w) == lap(p) && stateOf(w) == TAKEN && !holderAlive(p, w)
                    && casSeq(p, w, word(lap(p), kOf(w), PID, TAKEN))) {
                soOwner(p, SELF);
                casLong(HEAD_OFFSET, p, p + kOf(w)); // it may have died before moving the head
                release(p, kOf(w));
            }
        }
    }

    /** This process's {@code PROCS} entry (registered at the first put), or -1 if the table is full. */
    private long entry() {
        long entry = procEntry;
        if (entry != UNREGISTERED) {
            return entry;
        }
        synchronized (this) {
            if (procEntry == UNREGISTERED) {
                procEntry = register();
            }
            return procEntry;
        }
    }

    private long register() {
        for (int i = 0; i < PROC_ENTRIES; i++) {
            if (casLong(procOffset(i) + PROC_IDENTITY, 0L, SELF)) {
                return procOffset(i);
            }
        }
        recoverPermits(); // entries of dead processes with permits pending become free
        for (int i = 0; i < PROC_ENTRIES; i++) {
            long entry = procOffset(i);
            long identity = lvLong(entry + PROC_IDENTITY);
            if ((identity == 0 || lvLong(entry + PROC_PENDING_PUTS) == 0 && !ProcessIds.alive(identity & ~RECOVERING))
                    && casLong(entry + PROC_IDENTITY, identity, SELF)) { // free, or a dead process's with nothing pending
                return entry;
            }
        }
        return -1; // more producers than entries: this one's permits are not recovered if it is killed
    }

    private static void parkIf(String point) {
        if (PARK != null && PARK.startsWith(point + ":") && PARKED.compareAndSet(false, true)) { // once
            try {
                java.nio.file.Files.createFile(java.nio.file.Path.of(PARK.substring(point.length() + 1)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            java.nio.file.Path go = java.nio.file.Path.of(PARK.substring(point.length() + 1) + ".go");
            while (!java.nio.file.Files.exists(go)) { // until the test lets it go on, or kills it
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    // ---- joinable ------------------------------------------------------------------------------

    /**
     * One task done; more than were put is an error. The check reads the consumers' own {@code TAKES}
     * first (never more than {@code PUTS}), the producers' {@code PUTS} only when that is not enough.
     */
    void taskDone() {
        while (true) {
            long done = lvLong(DONE_OFFSET);
            if (done >= lvLong(TAKES_OFFSET) && done >= putsSeen) {
                putsSeen = lvLong(PUTS_OFFSET);
                if (done >= putsSeen) {
                    throw new IllegalStateException("taskDone() called more times than there were items put");
                }
            }
            if (casLong(DONE_OFFSET, done, done + 1)) { // a full fence: before the read of JOIN_WAITERS
                signalIfJoined();
                return;
            }
        }
    }

    /** One more task done without the check (a dropped record's). */
    private void done() {
        addLong(DONE_OFFSET, 1);
        signalIfJoined();
    }

    private void signalIfJoined() {
        if (lvInt(JOIN_WAITERS_OFFSET) > 0 && unfinished() <= 0) {
            addInt(JOINED_OFFSET, 1);
            Futex.wake(joined, Integer.MAX_VALUE);
        }
    }

    void join() throws InterruptedException {
        long start = System.nanoTime();
        while (unfinished() > 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            addInt(JOIN_WAITERS_OFFSET, 1);
            try {
                int observed = lvInt(JOINED_OFFSET);
                if (unfinished() <= 0) {
                    return;
                }
                recoverDead(); // a producer killed holding a permit counts as unfinished until then
                if (unfinished() <= 0) {
                    return;
                }
                await(joined, observed, 0, true);
            } finally {
                addInt(JOIN_WAITERS_OFFSET, -1);
            }
        }
    }

    // ---- snapshot ------------------------------------------------------------------------------

    /**
     * The values committed now, head to tail, each read and then checked still there (seqlock); an
     * {@link Encoded} one is still to be decoded.
     */
    List<Object> snapshot() {
        List<Object> values = new ArrayList<>();
        long p = lvLong(HEAD_OFFSET);
        long end = lvLong(TAIL_OFFSET);
        while (p < end) {
            long v = lvSeq(p);
            if (lapOf(v) != lap(p) || stateOf(v) == FREE) {
                break;
            }
            if (stateOf(v) == COMMITTED) {
                try {
                    Object copy = peekRecord(p, kOf(v));
                    if (lvSeq(p) == v && copy != null) {
                        values.add(copy);
                    }
                } catch (RuntimeException e) {
                    // taken meanwhile: not in the snapshot
                }
            }
            p += kOf(v);
        }
        return values;
    }

    /** The record's value, copied out whole first: a raw value decoded in place could be torn. */
    private Object peekRecord(long position, int k) {
        long header = m.get(JAVA_LONG, data + (position & mask) * SLOT_SIZE);
        checkRecord(position, k, lengthOf(header), typeOf(header)); // or it was being rewritten: the seqlock says
        return readOther(position, lengthOf(header), typeOf(header), false);
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Detaches this process; the last user to close removes the queue and any message segments left. */
    @Override
    public void close() {
        long entry = procEntry;
        if (entry >= 0 && lvLong(entry + PROC_PENDING_PUTS) == 0) {
            casLong(entry + PROC_IDENTITY, SELF, 0L);
        }
        String name = segment.name();
        segment.close();
        if (!java.nio.file.Files.exists(Segments.directory().resolve("mp4j." + name))) {
            Segments.removeMessages(name);
        }
    }
}
