package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.LockWaitEvent;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;

/**
 * A {@link java.util.concurrent.locks.Lock} that lives in a shared segment, so that threads of any
 * process attached to it exclude each other: {@code ctx.lock()} and, reentrant, {@code ctx.rlock()}.
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Memory layout:</i> {@link LockLayout}; the lock word's protocol: {@link RobustMutex}.
 *       Uncontended {@code lock()} is one CAS, {@code unlock()} one load and one CAS.</li>
 *   <li><i>Concurrency.</i> Ownership is (pid, thread): a thread of another process, or another thread
 *       of this one, that calls {@code unlock()} gets {@link IllegalMonitorStateException}. The hold
 *       count and the recovered flag are written by the owner only.</li>
 *   <li><i>Failure.</i> A process that dies holding the lock is noticed by the next acquirer within one
 *       futex chunk ({@value Pids#CHUNK_NANOS} ns); it takes the lock, logs a warning, and
 *       {@link #isRecovered()} says so until it unlocks. Locking a non-reentrant lock the calling
 *       thread already holds would deadlock: {@code lock()} throws {@link IllegalStateException},
 *       {@code tryLock} returns false.</li>
 *   <li><i>Lifecycle.</i> {@link #create} makes a segment; the serialized form is the name, and
 *       deserializing attaches: a new handle on the process's one mapping of the segment
 *       ({@link Segment}). {@link #close()} releases this handle; the process detaches with its last
 *       one (or when the handles it dropped are collected).</li>
 * </ul>
 */
public final class ShmLock implements ProcessLock, Serializable, RawHandle {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ShmLock.class.getName());
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final String name;
    private final boolean reentrant;
    private final transient Segment segment;
    private final transient MemorySegment memory;
    private final transient MemorySegment futexWord;
    private final transient ProcessCounts queued; // threads of each process in the slow path of an acquire

    private ShmLock(Segment segment, boolean reentrant) {
        this.segment = segment;
        this.name = segment.name();
        this.reentrant = reentrant;
        this.memory = segment.payload();
        this.futexWord = Pids.word(memory, LockLayout.WORD_OFFSET + Pids.LOW_HALF);
        this.queued = new ProcessCounts(memory, LockLayout.QUEUE_USED_OFFSET, LockLayout.QUEUE_OFFSET, "lock " + name,
                dead -> { });
    }

    /** A new non-reentrant lock (Python's {@code Lock}). */
    public static ShmLock create() {
        return create(false);
    }

    /** A new lock; reentrant like Python's {@code RLock} if {@code reentrant}. */
    public static ShmLock create(boolean reentrant) {
        int kind = reentrant ? Kinds.RLOCK : Kinds.LOCK;
        Segment segment = Segment.create(Segments.newName(reentrant ? "rlock" : "lock"), kind, LockLayout.SIZE);
        MemorySegment payload = segment.payload();
        payload.set(JAVA_INT, LockLayout.REENTRANT_OFFSET, reentrant ? 1 : 0);
        Pids.writeHeader(payload, LockLayout.MAGIC, LockLayout.VERSION);
        return new ShmLock(segment, reentrant);
    }

    /** Attaches to the existing lock {@code name}. */
    public static ShmLock open(String name) {
        Segment segment = Segment.open(name, -1);
        try {
            if (segment.kind() != Kinds.LOCK && segment.kind() != Kinds.RLOCK) {
                throw new IllegalStateException("segment '" + name + "' does not hold a lock");
            }
            Pids.checkHeader(segment.payload(), LockLayout.MAGIC, LockLayout.VERSION, "lock", name);
            return new ShmLock(segment, segment.kind() == Kinds.RLOCK);
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    @Override
    public void lock() {
        long self = RobustMutex.self();
        if (RobustMutex.tryAcquireFast(memory, LockLayout.WORD_OFFSET, self)) {
            spHolds(1);
            return;
        }
        if (reenter(self, true)) {
            return;
        }
        acquired(acquireQueued(self, false, 0, false));
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long self = RobustMutex.self();
        if (RobustMutex.tryAcquireFast(memory, LockLayout.WORD_OFFSET, self)) {
            spHolds(1);
            return;
        }
        if (reenter(self, true)) {
            return;
        }
        if (!acquired(acquireQueued(self, false, 0, true))) {
            Thread.interrupted();
            throw new InterruptedException();
        }
    }

    @Override
    public boolean tryLock() {
        long self = RobustMutex.self();
        while (true) {
            long word = RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET);
            if (word == 0) {
                if (RobustMutex.casWord(memory, LockLayout.WORD_OFFSET, 0L, self)) {
                    RobustMutex.acquiredBy(memory, LockLayout.WORD_OFFSET);
                    spHolds(1);
                    return true;
                }
                continue;
            }
            if (RobustMutex.isOwner(word, self)) {
                return reenter(self, false);
            }
            if (RobustMutex.recoverIfDead(memory, LockLayout.WORD_OFFSET, word, self | (word & RobustMutex.WAITERS))) {
                return acquired(RobustMutex.Result.RECOVERED);
            }
            if (RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET) != 0) {
                return false;
            }
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        long deadline = System.nanoTime() + unit.toNanos(time);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long self = RobustMutex.self();
        if (RobustMutex.tryAcquireFast(memory, LockLayout.WORD_OFFSET, self)) {
            spHolds(1);
            return true;
        }
        if (RobustMutex.isOwner(RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET), self)) {
            return reenter(self, false);
        }
        RobustMutex.Result result = acquireQueued(self, true, deadline, true);
        if (result == RobustMutex.Result.INTERRUPTED) {
            Thread.interrupted();
            throw new InterruptedException();
        }
        return acquired(result);
    }

    /** The lock's slow path, under JFR a {@link LockWaitEvent} if it waited past the event's threshold. */
    private RobustMutex.Result waitFor(long self, boolean timed, long deadline, boolean interruptible) {
        if (!Events.recording()) {
            return RobustMutex.acquire(memory, LockLayout.WORD_OFFSET, self, timed, deadline, interruptible);
        }
        LockWaitEvent event = new LockWaitEvent();
        event.begin();
        RobustMutex.Result result = RobustMutex.acquire(memory, LockLayout.WORD_OFFSET, self, timed,
                deadline, interruptible);
        event.end();
        if (event.shouldCommit()) {
            event.lock = name();
            event.acquired = result == RobustMutex.Result.ACQUIRED || result == RobustMutex.Result.RECOVERED;
            event.commit();
        }
        return result;
    }

    @Override
    public void unlock() {
        long self = RobustMutex.self();
        long word = RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET);
        if (!RobustMutex.isOwner(word, self)) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + this);
        }
        int holds = lpHolds();
        if (holds > 1) {
            spHolds(holds - 1);
            return;
        }
        spHolds(0);
        memory.set(JAVA_INT, LockLayout.RECOVERED_OFFSET, 0);
        RobustMutex.release(memory, LockLayout.WORD_OFFSET, futexWord, word);
    }

    /** The slow path of every acquire, counted in this process's slot of the queue table. */
    private RobustMutex.Result acquireQueued(long self, boolean timed, long deadline, boolean interruptible) {
        queued.add(1);
        try {
            return waitFor(self, timed, deadline, interruptible);
        } finally {
            queued.subtract(1);
        }
    }

    /** The calling thread holds the lock already: lock again if reentrant. */
    private boolean reenter(long self, boolean blocking) {
        if (!RobustMutex.isOwner(RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET), self)) {
            return false;
        }
        if (reentrant) {
            int holds = lpHolds();
            if (holds == Integer.MAX_VALUE) {
                throw new Error("maximum lock count exceeded");
            }
            spHolds(holds + 1);
            return true;
        }
        if (blocking) {
            throw new IllegalStateException("the calling thread already holds the non-reentrant " + this
                    + "; locking it again would deadlock (use ctx.rlock() for a reentrant lock)");
        }
        return false;
    }

    /** Records a slow-path acquisition; false if it did not happen. */
    private boolean acquired(RobustMutex.Result result) {
        switch (result) {
            case ACQUIRED -> {
                spHolds(1);
                memory.set(JAVA_INT, LockLayout.RECOVERED_OFFSET, 0);
                return true;
            }
            case RECOVERED -> {
                spHolds(1);
                memory.set(JAVA_INT, LockLayout.RECOVERED_OFFSET, 1);
                LOG.log(System.Logger.Level.WARNING, () -> (reentrant ? "RLock " : "Lock ") + name
                        + ": its owner process died holding it; taken over by pid " + Pids.SELF
                        + " (the state it guards may be inconsistent)");
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public boolean isRecovered() {
        return isHeldByCurrentThread() && memory.get(JAVA_INT, LockLayout.RECOVERED_OFFSET) != 0;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return RobustMutex.isOwner(RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET), RobustMutex.self());
    }

    @Override
    public int getHoldCount() {
        return isHeldByCurrentThread() ? lpHolds() : 0;
    }

    @Override
    public boolean isLocked() {
        return RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET) != 0;
    }

    @Override
    public boolean hasQueuedThreads() {
        return queued.sumLive() > 0;
    }

    @Override
    public int getQueueLength() {
        return (int) Math.min(Integer.MAX_VALUE, queued.sumLive());
    }

    /** The pid of the holder, or 0 if free. */
    public long ownerPid() {
        return RobustMutex.ownerPid(RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET));
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Condition newCondition() {
        // Slots are shared round-robin, never used up: a lock may make conditions for ever (a loop
        // making one per request). A slot's second condition marks it shared before it is returned,
        // so before any of its waiters exists; from then on a signal there wakes every waiter of the
        // slot, and the waiter meant is among them (the others see a spurious wake-up).
        int n = (int) INT.getAndAdd(memory, LockLayout.CONDITIONS_OFFSET, 1);
        int index = Integer.remainderUnsigned(n, LockLayout.MAX_CONDITIONS);
        if (Integer.compareUnsigned(n, LockLayout.MAX_CONDITIONS) >= 0) {
            INT.setVolatile(memory, LockLayout.conditionOffset(index) + LockLayout.COND_SHARED_OFFSET, 1);
        }
        return new ShmCondition(this, index);
    }

    @Override
    public void close() {
        segment.close();
    }

    /**
     * For a structure that carries this lock by name (a shared value's or array's own lock): keeps the
     * lock's segment for the process the structure is serialized for ({@link Segment#handOff()}).
     */
    public void handOff() {
        segment.handOff();
    }

    // --- for ShmCondition

    MemorySegment memory() {
        return memory;
    }

    /** Releases the lock entirely for a condition wait; returns the hold count (recovered in bit 31). */
    int fullyRelease() {
        long self = RobustMutex.self();
        long word = RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET);
        if (!RobustMutex.isOwner(word, self)) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + this);
        }
        int saved = lpHolds() | (memory.get(JAVA_INT, LockLayout.RECOVERED_OFFSET) != 0 ? 1 << 31 : 0);
        spHolds(0);
        memory.set(JAVA_INT, LockLayout.RECOVERED_OFFSET, 0);
        RobustMutex.release(memory, LockLayout.WORD_OFFSET, futexWord, word);
        return saved;
    }

    /** Takes the lock back after a condition wait, uninterruptibly, with the saved hold count. */
    void reacquire(int saved) {
        long self = RobustMutex.self();
        RobustMutex.Result result = RobustMutex.tryAcquireFast(memory, LockLayout.WORD_OFFSET, self)
                ? RobustMutex.Result.ACQUIRED
                : acquireQueued(self, false, 0, false);
        acquired(result);
        spHolds(saved & Integer.MAX_VALUE);
        if (saved < 0) {
            memory.set(JAVA_INT, LockLayout.RECOVERED_OFFSET, 1);
        }
    }

    void checkOwner() {
        if (!isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + this);
        }
    }

    private int lpHolds() {
        return memory.get(JAVA_INT, LockLayout.HOLDS_OFFSET);
    }

    private void spHolds(int holds) {
        memory.set(JAVA_INT, LockLayout.HOLDS_OFFSET, holds);
    }

    @Serial
    private Object writeReplace() {
        segment.handOff(); // kept for the process it goes to, should this one close it first
        return new Ref(name);
    }

    /** The serialized form: the segment's name. */
    private record Ref(String name) implements Serializable {
        @Serial
        private Object readResolve() {
            try {
                return ShmLock.open(name);
            } finally {
                Segment.arrived(name);
            }
        }
    }

    @Override
    public byte handleKind() {
        return RawHandle.LOCK;
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
    public static ShmLock readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return (ShmLock) new Ref(in.readString()).readResolve();
    }

    /** As {@link java.util.concurrent.locks.ReentrantLock#toString()}: the name, then who holds it. */
    @Override
    public String toString() {
        String state;
        try {
            long word = RobustMutex.lvWord(memory, LockLayout.WORD_OFFSET);
            state = word == 0 ? "[Unlocked]" : "[Locked by thread " + (word >>> 32) + " of pid "
                    + RobustMutex.ownerPid(word) + "]";
        } catch (IllegalStateException closed) {
            state = "[closed]";
        }
        return (reentrant ? "RLock[" : "Lock[") + name + "]" + state;
    }
}
