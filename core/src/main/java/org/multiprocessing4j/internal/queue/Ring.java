package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.queue.QueueLayout.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.SharedWait;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * A bounded multi-producer multi-consumer queue of encoded values ({@link ValueCodec}) in one shared
 * segment ({@link QueueLayout}), for processes and threads alike. {@link SharedQueue} is its face. This
 * class is the ring proper: claim, commit, take and release. Its rooms: {@link RingWords} (the
 * segment's words and their ordering-named accessors), {@link RingRecovery} (dead writers and readers),
 * {@link SideMessages} (messages too large for the ring), {@link JoinableCounter} (taskDone and join).
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
 * <p><i>Blocking.</i> A put or take that cannot proceed waits in a {@link SharedWait}: it first spins
 * for {@link #SPIN_NANOS} (the other side is usually a fraction of a microsecond away: a futex sleep and
 * wake would cost both sides a system call and the sleeper a scheduling delay), then yields for
 * {@link #YIELD_NANOS}, then waits on the futex {@code NOT_EMPTY}/{@code NOT_FULL}, at most
 * {@link #SLICE_NANOS} at a time, and re-checks: a lost wake-up costs 100 ms, never a hang; interrupts
 * are noticed within that time. Nobody makes a futex call while nobody sleeps. A side about to sleep
 * first looks for what dead processes left in its way ({@link RingRecovery}).
 *
 * <p><i>Failure.</i> See {@link RingRecovery}. Lengths, types and names read from the segment are
 * checked before use: corrupt bytes are an {@link IllegalStateException} that names the queue.
 *
 * <p><i>Concurrency.</i> Any thread of any attached process may call anything. The process-local
 * field {@code takesSeen} is a cache of a shared word that grows: a stale value sends a check to the
 * shared word again. {@code takeCalls} only paces {@link #take}'s detour: racing threads may lose
 * increments, which moves a detour, nothing else.
 */
final class Ring extends RingWords implements AutoCloseable {
    static final int DEFAULT_SLOTS = 1 << 16; // 4 MiB of records
    /** How long a blocked side sleeps on the futex at most before it looks again. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a blocked side busy-waits, then how long it yields, before it sleeps on the futex. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final SharedWait.Pacing PACING = new SharedWait.Pacing(SPIN_NANOS, YIELD_NANOS, SLICE_NANOS, true);
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

    /** Positions at which a put wakes a sleeping consumer whether one sleeps or not ({@link #write}). */
    private static final long WAKE_ANYWAY_MASK = 1023;
    /** Positions (and blocking takes) that go by the general path of {@link #poll} ({@link #take}). */
    private static final long GENERAL_PATH_MASK = 1023;
    /** The lap and state bits of a sequence word. */
    private static final long LAP_AND_STATE = word(-1, 0, 0, 3);

    private final MemorySegment notEmpty;
    private final MemorySegment notFull;
    private final int sideThreshold;
    private final boolean unbounded;
    final RingRecovery recovery;
    final JoinableCounter joins;
    /** A value {@code TAKES} had (it only grows): a bounded put reads the word when this says full. */
    private volatile long takesSeen;
    /** Blocking takes made here, counted without synchronization ({@link #take}'s detour). */
    private long takeCalls;

    private Ring(Segment segment) {
        super(segment);
        this.unbounded = maxsize >= Integer.MAX_VALUE;
        this.sideThreshold = slots / 4 * SLOT_SIZE - RECORD_HEADER;
        this.notEmpty = m.asSlice(NOT_EMPTY_OFFSET, 4);
        this.notFull = m.asSlice(NOT_FULL_OFFSET, 4);
        this.recovery = new RingRecovery(this);
        this.joins = new JoinableCounter(this);
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
        // Every slot's sequence word starts as free(0), which is 0: the segment is a new file, all zeros.
        // Writing them was 65,536 stores (and 1 MiB of pages touched) per queue: 25–30 ms of a cold JVM's
        // first queue, run in the interpreter.
        assert free(0) == 0;
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

    /** A queue of this ring is serialized for another process ({@link Segment#handOff()}). */
    void handOff() {
        segment.handOff();
    }

    long maxsize() {
        return maxsize;
    }

    // ---- sizes ---------------------------------------------------------------------------------

    /** Messages in the queue (put or being put, not yet taken). */
    long count() {
        long takes = lvLong(TAKES_OFFSET); // first: TAKES never passes PUTS, read in this order
        return Math.max(0, lvLong(PUTS_OFFSET) - takes);
    }

    long unfinished() {
        return joins.unfinished();
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
        return SideMessages.write(name(), value, encoded, length);
    }

    /** A prepared message that was not put after all. */
    void discard(Object prepared) {
        if (prepared instanceof SideMessages.Side side) {
            SideMessages.discard(side);
        }
    }

    /** A value's encoding, for one whose encoding is not written in place. */
    record Encoded(byte[] bytes) {}

    private static int bodyLength(Object prepared) {
        if (prepared instanceof Encoded e) {
            return e.bytes.length;
        }
        if (prepared instanceof SideMessages.Side side) {
            return side.nameBytes().length;
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
        SharedWait room = new SharedWait(PACING, m, NOT_FULL_OFFSET, PRODUCER_WAITERS_OFFSET) {
            @Override
            protected boolean ready(boolean announced) {
                if (!roomFor(k)) {
                    if (!announced) {
                        return false;
                    }
                    recovery.reclaim(lvLong(TAIL_OFFSET), k); // a dead consumer's record in the way
                    recovery.recoverDead();
                    if (!roomFor(k)) {
                        return false;
                    }
                }
                return tryPut(prepared, length, k);
            }
        };
        return switch (room.await(timeoutNanos > 0, System.nanoTime() + timeoutNanos)) {
            case READY -> true;
            case TIMED_OUT -> false;
            case INTERRUPTED -> throw new InterruptedException();
        };
    }

    /**
     * One attempt: a permit (counted as pending in this process's {@code PROCS} entry until the claim,
     * so that a death in between gives it back), a claim, the record. A claim taken over as a dead
     * writer's (a pid the kernel reused, see {@link RingRecovery#holderAlive}) loses its permit with it:
     * the put tries again.
     */
    private boolean tryPut(Object prepared, int length, int k) {
        long entry = recovery.entry();
        while (true) {
            recovery.mark(entry);
            if (!acquirePermit()) {
                recovery.unmark(entry);
                return false;
            }
            parkIf("permit");
            long position = claim(k);
            if (position < 0) {
                releasePermit(); // first: a death between the two returns a permit twice, never none
                recovery.unmark(entry);
                return false;
            }
            recovery.unmark(entry);
            parkIf("claim");
            if (write(position, k, prepared, length)) {
                return true;
            }
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
            joins.signalIfJoined(); // the unfinished count went down without a taskDone
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

    /** The first position of the {@code k} from {@code t} that is not free for its lap, or -1. */
    long firstBusy(long t, int k) {
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
        m.set(JAVA_LONG, data + start, header(length, prepared instanceof SideMessages.Side ? TYPE_SEGMENT : TYPE_INLINE));
        long body = start + RECORD_HEADER; // < ringBytes - 1: the header ends inside the first slot
        if (prepared instanceof Encoded e) {
            copyIn(e.bytes, body);
        } else if (prepared instanceof SideMessages.Side side) {
            copyIn(side.nameBytes(), body);
        } else {
            ValueCodec.writeRaw(prepared, m, data, ringBytes, body); // wraps at the end of the ring
        }
        long lap = lap(position);
        if (!casSeq(position, word(lap, k, PID, CLAIMED), word(lap, k, PID, COMMITTED))) {
            return false; // dropped as a dead writer's: the slots may be someone else's now
        }
        VarHandle.fullFence(); // the commit before the read of the waiters (Dekker with take)
        // One branch, also taken at every 1,024th position (a wake that finds no sleeper: one syscall),
        // the last of each 1,024 rather than the first: a queue's first put needs no futex binding, which a
        // new program may still be linking (FutexWarmUp).
        // A branch never taken while the producer warms up (its consumer kept busy) is compiled by C2
        // as a trap: the first time the consumer sleeps, the compiled put is thrown away and the
        // producer runs C1's code for tens of milliseconds until C2 compiles it again.
        int waiters = lvInt(CONSUMER_WAITERS_OFFSET);
        if ((-waiters | ((int) (~position & WAKE_ANYWAY_MASK) - 1)) < 0) {
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

    private boolean roomFor(int k) {
        long puts = lvLong(PUTS_OFFSET);
        if (puts - takesSeen >= maxsize && puts - (takesSeen = lvLong(TAKES_OFFSET)) >= maxsize) {
            return false;
        }
        long t = lvLong(TAIL_OFFSET);
        return lvSeq(t) == free(lap(t)) && firstBusy(t, k) < 0;
    }

    // ---- take ------------------------------------------------------------------------------------

    /**
     * The next value, waiting at most {@code timeoutNanos} ({@code < 0}: forever); null on timeout.
     * An {@link Encoded} value is still to be decoded (it needs the serializer).
     */
    Object take(long timeoutNanos) throws InterruptedException {
        // Every 1,024th blocking take goes by the waiting path even when a value is there (the waiter
        // finds it at its first look): the branch below is then seen both ways while the JIT profiles
        // take, as with poll's (see there). Without it, a consumer that never found the queue empty
        // while it warmed up had its compiled take thrown away the first time it did. The count is
        // this process's and unsynchronized: a lost increment only moves the next detour.
        long detour = (((++takeCalls & GENERAL_PATH_MASK) - 1) & (timeoutNanos | -timeoutNanos)) >>> 63;
        Object value = detour != 0 ? null : poll(timeoutNanos == 0);
        if (value != null || timeoutNanos == 0) {
            return value;
        }
        Taker taker = new Taker();
        return switch (taker.await(timeoutNanos > 0, System.nanoTime() + timeoutNanos)) {
            case READY -> taker.value;
            // out of time while spinning: a last look that drops a dead writer's record in the way
            case TIMED_OUT -> taker.lookedForDead ? null : poll(true);
            case INTERRUPTED -> throw new InterruptedException();
        };
    }

    /** A blocked take: polls after each pause; about to sleep, drops a dead writer's record at the head. */
    private final class Taker extends SharedWait {
        Object value;
        boolean lookedForDead;

        Taker() {
            super(PACING, m, NOT_EMPTY_OFFSET, CONSUMER_WAITERS_OFFSET);
        }

        @Override
        protected boolean ready(boolean announced) {
            lookedForDead = announced;
            return (value = poll(announced)) != null;
        }
    }

    /**
     * The next value, or null if there is none committed at the head now. With {@code checkDead}, a
     * record at the head still being written by a process that died is dropped.
     */
    Object poll(boolean checkDead) {
        long h = lvLong(HEAD_OFFSET);
        long v = lvSeq(h);
        long lap = lap(h);
        // One branch: a committed record of this lap at the head, and a position that is not a
        // 1,024th one (those take the general path too, which takes the record just the same). A
        // branch never taken while the consumer warms up (it never caught up with its producer: the
        // head was never empty, nor a record still being written) is compiled by C2 as a trap, and the
        // first time the consumer caught up, its compiled take was thrown away (logged: Ring.poll
        // unstable_if in the quick queue rows) and it ran C1's code until C2 compiled it again.
        if ((((v ^ word(lap, 0, 0, COMMITTED)) & LAP_AND_STATE) | (((h & GENERAL_PATH_MASK) - 1) >>> 63)) == 0) {
            int k = kOf(v);
            if (casSeq(h, v, word(lap, k, PID, TAKEN))) {
                return takeAt(h, k);
            }
        }
        return pollAnyCase(checkDead);
    }

    /** {@link #poll}'s general path: whatever the head holds. */
    private Object pollAnyCase(boolean checkDead) {
        while (true) {
            long h = lvLong(HEAD_OFFSET);
            long v = lvSeq(h);
            long lap = lap(h);
            if (lapOf(v) == lap && stateOf(v) == COMMITTED) {
                int k = kOf(v);
                if (casSeq(h, v, word(lap, k, PID, TAKEN))) {
                    return takeAt(h, k);
                }
            } else if (!moveOn(h, v, lap, checkDead)) {
                return null;
            }
        }
    }

    /** The record of {@code k} slots at {@code h}, just marked taken by this process: read and released. */
    private Object takeAt(long h, int k) {
        soOwner(h, SELF);
        casLong(HEAD_OFFSET, h, h + k);
        parkIf("take");
        try {
            return read(h, k);
        } finally {
            release(h, k); // counts it taken
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
        if (!checkDead || recovery.holderAlive(h, v)) {
            return false; // CLAIMED: being written
        }
        if (casSeq(h, v, word(lap, k, PID, TAKEN))) { // its producer died: drop the record
            soOwner(h, SELF);
            casLong(HEAD_OFFSET, h, h + k);
            if (joinable) {
                joins.done(); // its put never returned: give its task back
            }
            release(h, k);
        }
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
                || type != TYPE_INLINE && type != TYPE_SEGMENT || type == TYPE_SEGMENT && length > SideMessages.MAX_NAME) {
            throw corrupt("the record at position " + position + " says " + length + " bytes of type " + type
                    + " in " + k + " slots", null);
        }
    }

    /** An encoded value, or a message segment's contents (which a take removes and a peek leaves). */
    private Object readOther(long position, int length, int type, boolean take) {
        long start = (position & mask) * SLOT_SIZE;
        byte[] bytes = copyOut(start + RECORD_HEADER, length);
        if (type == TYPE_INLINE) {
            return new Encoded(bytes);
        }
        return SideMessages.read(this, position, bytes, take);
    }

    /** Frees a taken record's slots and wakes the producers waiting for room. */
    void release(long position, int k) {
        freeSlots(position, k);
        wakeProducers();
    }

    /**
     * Frees a taken record's slots for the next lap and counts it on {@code TAKES}: counted at the
     * release, not at the take, so that a record whose taker died before counting it is still
     * {@code TAKEN} and is counted by whoever releases it ({@link RingRecovery#recoverDead}). The count comes just
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

    void wakeProducers() {
        VarHandle.fullFence(); // the release before the read of the waiters (Dekker with a blocked put)
        if (lvInt(PRODUCER_WAITERS_OFFSET) > 0) {
            addInt(NOT_FULL_OFFSET, 1);
            Futex.wake(notFull, Integer.MAX_VALUE);
        }
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

    /** One task done; more than were put is an error ({@link JoinableCounter}). */
    void taskDone() {
        joins.taskDone();
    }

    void join() throws InterruptedException {
        joins.join();
    }

    // ---- snapshot ------------------------------------------------------------------------------

    /**
     * The values committed now, head to tail, each read and then checked still there (seqlock); an
     * {@link Encoded} one is still to be decoded.
     */
    List<Object> snapshot() {
        return snapshot(Integer.MAX_VALUE);
    }

    /** As {@link #snapshot()}, at most {@code limit} values (the first ones). */
    List<Object> snapshot(int limit) {
        List<Object> values = new ArrayList<>();
        long p = lvLong(HEAD_OFFSET);
        long end = lvLong(TAIL_OFFSET);
        while (p < end && values.size() < limit) {
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
        recovery.unregister();
        String name = segment.name();
        segment.close();
        SideMessages.removeAll(name);
    }
}
