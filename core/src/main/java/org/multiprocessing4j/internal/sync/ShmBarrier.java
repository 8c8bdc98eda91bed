package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * A cyclic barrier in a shared segment ({@link BarrierLayout}), with
 * {@link java.util.concurrent.CyclicBarrier}'s semantics.
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Concurrency.</i> Arrivals, trips, breaks and resets happen under the segment's
 *       {@link RobustMutex}. An arrival that is not the last claims a free slot, marks it
 *       {@code WAITING}, and sleeps on the slot's own {@code STATE} word outside the mutex; the last
 *       arrival sets every waiting slot {@code TRIPPED} and wakes it, a break sets them
 *       {@code BROKEN}. The waiter frees its slot once it has read the outcome.</li>
 *   <li><i>Failure.</i> Sleeps are chunked ({@value Pids#CHUNK_NANOS} ns); after each chunk a waiter
 *       checks, under the mutex, the pids of every waiting slot, and breaks the barrier if one of those
 *       processes is gone. An arrival checks the same. A process that dies holding the mutex is
 *       recovered from like a lock's owner, and the barrier is broken (its counts may be half-written).</li>
 * </ul>
 */
public final class ShmBarrier implements ProcessBarrier, Serializable, RawHandle {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final String name;
    private final transient Segment segment;
    private final transient MemorySegment memory;
    private final transient MemorySegment mutexWord;
    private final transient int parties;
    private final transient int slots;
    private final transient int actionLength;
    // the creator's own action, or one deserialized when this process first runs it; guarded by the mutex
    private transient Runnable action;

    private ShmBarrier(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.memory = segment.payload();
        this.mutexWord = Pids.word(memory, BarrierLayout.MUTEX_OFFSET + Pids.LOW_HALF);
        this.parties = memory.get(JAVA_INT, BarrierLayout.PARTIES_OFFSET);
        this.slots = memory.get(JAVA_INT, BarrierLayout.SLOTS_OFFSET);
        this.actionLength = memory.get(JAVA_INT, BarrierLayout.ACTION_LENGTH_OFFSET);
        long room = memory.byteSize() - BarrierLayout.actionOffset(slots);
        if (slots < 0 || actionLength < 0 || actionLength > room) {
            throw new IllegalStateException("barrier '" + name + "' is corrupt: " + slots + " slots, an action of "
                    + actionLength + " bytes in " + memory.byteSize());
        }
    }

    public static ShmBarrier create(int parties) {
        return create(parties, null);
    }

    /**
     * A barrier for {@code parties} whose last arrival runs {@code action} (if not null) before the
     * others are released, as {@link java.util.concurrent.CyclicBarrier}'s barrier action.
     *
     * @throws IllegalArgumentException if {@code action} cannot be serialized
     */
    public static ShmBarrier create(int parties, SerializableRunnable action) {
        if (parties < 1 || parties > BarrierLayout.MAX_PARTIES) {
            throw new IllegalArgumentException("parties must be in [1, " + BarrierLayout.MAX_PARTIES + "], was "
                    + parties);
        }
        byte[] bytes = serialize(action);
        int slots = 2 * parties;
        Segment segment = Segment.create(Segments.newName("barrier"), Kinds.BARRIER,
                BarrierLayout.size(slots, bytes.length));
        MemorySegment payload = segment.payload();
        payload.set(JAVA_INT, BarrierLayout.PARTIES_OFFSET, parties);
        payload.set(JAVA_INT, BarrierLayout.SLOTS_OFFSET, slots);
        payload.set(JAVA_INT, BarrierLayout.ACTION_LENGTH_OFFSET, bytes.length);
        MemorySegment.copy(bytes, 0, payload, JAVA_BYTE, BarrierLayout.actionOffset(slots), bytes.length);
        Pids.writeHeader(payload, BarrierLayout.MAGIC, BarrierLayout.VERSION);
        ShmBarrier barrier = new ShmBarrier(segment);
        barrier.action = action; // the creator runs its own: a copy would hold handles of its own
        return barrier;
    }

    private static byte[] serialize(SerializableRunnable action) {
        if (action == null) {
            return new byte[0];
        }
        try {
            return Serializers.get().serialize(action);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the barrier action cannot be serialized: " + e, e);
        }
    }

    public static ShmBarrier open(String name) {
        return new ShmBarrier(Pids.attach(name, Kinds.BARRIER, BarrierLayout.MAGIC, BarrierLayout.VERSION, "barrier"));
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return doAwait(false, 0);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        return doAwait(true, System.nanoTime() + timeout.toNanos());
    }

    private int doAwait(boolean timed, long deadline)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        int slot;
        int index;
        while (true) {
            if (!lockMutex()) {
                throw new IllegalStateException("await() from the action of " + this + " would never return");
            }
            try {
                if (lvBroken() || breakIfPartyDied()) {
                    throw new BrokenBarrierException();
                }
                if (Thread.interrupted()) {
                    breakBarrier();
                    throw new InterruptedException();
                }
                int count = memory.get(JAVA_INT, BarrierLayout.COUNT_OFFSET);
                index = parties - 1 - count;
                if (index == 0) {
                    runActionThenTrip();
                    return 0;
                }
                if (timed && Pids.remaining(deadline) <= 0) {
                    breakBarrier();
                    throw new TimeoutException();
                }
                slot = claimSlot(index);
                if (slot >= 0) {
                    memory.set(JAVA_INT, BarrierLayout.COUNT_OFFSET, count + 1);
                    break;
                }
            } finally {
                unlockMutex();
            }
            Thread.yield(); // every slot holds a waiter of an earlier generation that has not left yet
        }
        return sleep(slot, index, timed, deadline);
    }

    private int sleep(int slot, int index, boolean timed, long deadline)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        long base = BarrierLayout.slotOffset(slot);
        MemorySegment stateWord = Pids.word(memory, base + BarrierLayout.STATE_OFFSET);
        boolean interrupted = false;
        while (true) {
            int state = lvState(base);
            if (state != BarrierLayout.WAITING) {
                INT.setVolatile(memory, base + BarrierLayout.STATE_OFFSET, BarrierLayout.FREE);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                if (state == BarrierLayout.TRIPPED) {
                    return index;
                }
                throw new BrokenBarrierException();
            }
            if (!interrupted && Thread.interrupted()) {
                interrupted = true;
                if (breakIfStillWaiting(base)) {
                    INT.setVolatile(memory, base + BarrierLayout.STATE_OFFSET, BarrierLayout.FREE);
                    throw new InterruptedException();
                }
                continue; // tripped or broken meanwhile: report that, keeping the interrupt
            }
            long wait = Pids.CHUNK_NANOS;
            if (timed) {
                long remaining = Pids.remaining(deadline);
                if (remaining <= 0) {
                    if (breakIfStillWaiting(base)) {
                        INT.setVolatile(memory, base + BarrierLayout.STATE_OFFSET, BarrierLayout.FREE);
                        throw new TimeoutException();
                    }
                    continue;
                }
                wait = Math.min(wait, remaining);
            }
            if (Futex.sleep(stateWord, BarrierLayout.WAITING, wait)) {
                boolean locked = lockMutex();
                try {
                    breakIfPartyDied();
                } finally {
                    unlockMutex(locked);
                }
            }
        }
    }

    /** Under the mutex: a free slot (or one left by a dead process), marked waiting; -1 if none. */
    private int claimSlot(int index) {
        for (int i = 0; i < slots; i++) {
            long base = BarrierLayout.slotOffset(i);
            int state = lvState(base);
            boolean free = state == BarrierLayout.FREE
                    || state != BarrierLayout.WAITING && !ProcessIds.alive(memory.get(JAVA_LONG, base + BarrierLayout.PID_OFFSET));
            if (free) {
                memory.set(JAVA_INT, base + BarrierLayout.INDEX_OFFSET, index);
                memory.set(JAVA_LONG, base + BarrierLayout.PID_OFFSET, ProcessIds.self());
                INT.setVolatile(memory, base + BarrierLayout.STATE_OFFSET, BarrierLayout.WAITING);
                return i;
            }
        }
        return -1;
    }

    /**
     * Under the mutex: the last arrival runs the action, as {@code CyclicBarrier} does with its lock
     * held, then trips; if the action throws, the barrier breaks and its exception goes to the caller.
     */
    private void runActionThenTrip() {
        if (actionLength > 0) {
            boolean ran = false;
            try {
                action().run();
                ran = true;
            } finally {
                if (!ran) {
                    breakBarrier();
                }
            }
        }
        trip();
    }

    private Runnable action() {
        if (action == null) {
            byte[] bytes = memory.asSlice(BarrierLayout.actionOffset(slots), actionLength).toArray(JAVA_BYTE);
            try {
                action = (Runnable) Serializers.get().deserialize(bytes);
            } catch (IOException | ClassNotFoundException | ClassCastException e) {
                throw new IllegalStateException("the action of " + this + " cannot be read in pid " + Pids.SELF
                        + ": " + e, e);
            }
        }
        return action;
    }

    /** Under the mutex: the last arrival releases the waiters and starts a new generation. */
    private void trip() {
        release(BarrierLayout.TRIPPED);
        memory.set(JAVA_INT, BarrierLayout.COUNT_OFFSET, 0);
        memory.set(JAVA_INT, BarrierLayout.GENERATION_OFFSET, memory.get(JAVA_INT, BarrierLayout.GENERATION_OFFSET) + 1);
    }

    /** Under the mutex. */
    private void breakBarrier() {
        INT.setVolatile(memory, BarrierLayout.BROKEN_OFFSET, 1);
        release(BarrierLayout.BROKEN);
        memory.set(JAVA_INT, BarrierLayout.COUNT_OFFSET, 0);
    }

    private void release(int outcome) {
        for (int i = 0; i < slots; i++) {
            long base = BarrierLayout.slotOffset(i);
            if (lvState(base) == BarrierLayout.WAITING) {
                INT.setVolatile(memory, base + BarrierLayout.STATE_OFFSET, outcome);
                Futex.wake(Pids.word(memory, base + BarrierLayout.STATE_OFFSET), 1);
            }
        }
    }

    /** Under the mutex: breaks the barrier if a waiting party's process is gone. */
    private boolean breakIfPartyDied() {
        for (int i = 0; i < slots; i++) {
            long base = BarrierLayout.slotOffset(i);
            if (lvState(base) == BarrierLayout.WAITING
                    && !ProcessIds.alive(memory.get(JAVA_LONG, base + BarrierLayout.PID_OFFSET))) {
                breakBarrier();
                return true;
            }
        }
        return false;
    }

    /** Breaks the barrier for a waiter that gives up (timeout, interrupt) if its slot still waits. */
    private boolean breakIfStillWaiting(long base) {
        boolean locked = lockMutex();
        try {
            if (lvState(base) == BarrierLayout.WAITING) {
                breakBarrier();
                return true;
            }
            return false;
        } finally {
            unlockMutex(locked);
        }
    }

    @Override
    public void reset() {
        boolean locked = lockMutex();
        try {
            if (memory.get(JAVA_INT, BarrierLayout.COUNT_OFFSET) > 0) {
                breakBarrier();
            }
            INT.setVolatile(memory, BarrierLayout.BROKEN_OFFSET, 0);
            memory.set(JAVA_INT, BarrierLayout.COUNT_OFFSET, 0);
            memory.set(JAVA_INT, BarrierLayout.GENERATION_OFFSET, memory.get(JAVA_INT, BarrierLayout.GENERATION_OFFSET) + 1);
        } finally {
            unlockMutex(locked);
        }
    }

    @Override
    public void abort() {
        boolean locked = lockMutex();
        try {
            breakBarrier();
        } finally {
            unlockMutex(locked);
        }
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public int waiting() {
        boolean locked = lockMutex();
        try {
            return memory.get(JAVA_INT, BarrierLayout.COUNT_OFFSET);
        } finally {
            unlockMutex(locked);
        }
    }

    @Override
    public boolean isBroken() {
        return lvBroken();
    }

    private boolean lvBroken() {
        return (int) INT.getVolatile(memory, BarrierLayout.BROKEN_OFFSET) != 0;
    }

    private int lvState(long base) {
        return (int) INT.getVolatile(memory, base + BarrierLayout.STATE_OFFSET);
    }

    /**
     * Takes the mutex; false if the calling thread holds it already, which happens only inside the
     * barrier action (then the caller must not release it: the action's caller does).
     */
    private boolean lockMutex() {
        long self = RobustMutex.self();
        if (RobustMutex.tryAcquireFast(memory, BarrierLayout.MUTEX_OFFSET, self)) {
            return true;
        }
        if (RobustMutex.isOwner(RobustMutex.lvWord(memory, BarrierLayout.MUTEX_OFFSET), self)) {
            return false;
        }
        RobustMutex.Result result = RobustMutex.acquire(memory, BarrierLayout.MUTEX_OFFSET, self, false, 0,
                false);
        if (result == RobustMutex.Result.RECOVERED) {
            breakBarrier(); // the dead holder may have left the counts half-written
        }
        return true;
    }

    private void unlockMutex(boolean locked) {
        if (locked) {
            unlockMutex();
        }
    }

    private void unlockMutex() {
        RobustMutex.release(memory, BarrierLayout.MUTEX_OFFSET, mutexWord,
                RobustMutex.lvWord(memory, BarrierLayout.MUTEX_OFFSET));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        action = null; // a deserialized action's handles become unreachable, and so released
        segment.close();
    }

    @Serial
    private Object writeReplace() {
        segment.handOff(); // kept for the process it goes to, should this one close it first
        return new Ref(name);
    }

    private record Ref(String name) implements Serializable {
        @Serial
        private Object readResolve() {
            try {
                return ShmBarrier.open(name);
            } finally {
                Segment.arrived(name);
            }
        }
    }

    @Override
    public byte handleKind() {
        return RawHandle.BARRIER;
    }

    @Override
    public void writeHandle(ByteWriter out) {
        out.writeString(((Ref) writeReplace()).name());
    }

    /**
     * A handle {@link #writeHandle} wrote, attached in this process as its serial form's {@code readResolve}
     * does, once the serial filter allows that form's class.
     *
     * @throws IOException if the bytes are cut short, or the filter refuses the class
     */
    public static ShmBarrier readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return (ShmBarrier) new Ref(in.readString()).readResolve();
    }

    @Override
    public String toString() {
        return "Barrier[" + name + ", " + parties + " parties" + (actionLength > 0 ? ", with an action]" : "]");
    }
}
