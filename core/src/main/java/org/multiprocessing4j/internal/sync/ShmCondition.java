package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.multiprocessing4j.internal.shm.Futex;

/**
 * A {@link Condition} of a {@link ShmLock}, shared by every process attached to the lock: the classic
 * futex sequence word.
 *
 * <p><b>Implementation notes.</b> {@code await} registers in {@code WAITERS} and reads {@code SEQ}
 * while it still holds the lock, releases the lock, and sleeps on {@code SEQ} until it moves;
 * {@code signal} (which needs the lock) bumps {@code SEQ} and wakes one sleeper, {@code signalAll}
 * all. Since the waiter read {@code SEQ} under the lock, a signal after its release changes the value
 * the futex compares: no wake-up is lost. A waiter that had not yet gone to sleep when {@code SEQ}
 * moved returns too, so a signal may wake more than one waiter: a spurious wake-up, which the
 * {@code Condition} contract allows (callers loop on their predicate). Waits are chunked so that an
 * interrupt is seen within {@value Pids#CHUNK_NANOS} ns. Layout: {@link LockLayout} (one cache line per
 * slot). A lock has {@link LockLayout#MAX_CONDITIONS} slots, handed out round-robin: past that many
 * conditions, two share a slot, and a {@code signal} on a shared slot wakes all its waiters.
 */
final class ShmCondition implements Condition, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final ShmLock lock;
    private final int index;
    private final transient MemorySegment memory;
    private final transient long base;
    private final transient MemorySegment seqWord;

    ShmCondition(ShmLock lock, int index) {
        this.lock = lock;
        this.index = index;
        this.memory = lock.memory();
        this.base = LockLayout.conditionOffset(index);
        this.seqWord = Pids.word(memory, base + LockLayout.SEQ_OFFSET);
    }

    @Override
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        waitFor(false, 0, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            waitFor(false, 0, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + nanosTimeout;
        waitFor(true, deadline, true);
        return Pids.remaining(deadline);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return waitFor(true, System.nanoTime() + unit.toNanos(time), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long nanos = TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis());
        return waitFor(true, System.nanoTime() + nanos, true);
    }

    /** Returns false if the deadline passed before a signal. */
    private boolean waitFor(boolean timed, long deadline, boolean interruptible) throws InterruptedException {
        lock.checkOwner();
        INT.getAndAdd(memory, base + LockLayout.COND_WAITERS_OFFSET, 1);
        int seq = lvSeq();
        int saved = lock.fullyRelease();
        boolean interrupted = false;
        boolean signalled = false;
        try {
            while (true) {
                if (lvSeq() != seq) {
                    signalled = true;
                    break;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        break;
                    }
                }
                long wait = Pids.CHUNK_NANOS;
                if (timed) {
                    long remaining = Pids.remaining(deadline);
                    if (remaining <= 0) {
                        break;
                    }
                    wait = Math.min(wait, remaining);
                }
                Futex.sleep(seqWord, seq, wait);
            }
        } finally {
            INT.getAndAdd(memory, base + LockLayout.COND_WAITERS_OFFSET, -1);
            lock.reacquire(saved);
        }
        if (interrupted) {
            if (interruptible) {
                throw new InterruptedException();
            }
            Thread.currentThread().interrupt();
        }
        return signalled || !timed || Pids.remaining(deadline) > 0;
    }

    @Override
    public void signal() {
        wake(1);
    }

    @Override
    public void signalAll() {
        wake(Integer.MAX_VALUE);
    }

    private void wake(int count) {
        lock.checkOwner();
        if ((int) INT.getVolatile(memory, base + LockLayout.COND_WAITERS_OFFSET) > 0) {
            INT.getAndAdd(memory, base + LockLayout.SEQ_OFFSET, 1);
            boolean shared = (int) INT.getVolatile(memory, base + LockLayout.COND_SHARED_OFFSET) != 0;
            Futex.wake(seqWord, shared ? Integer.MAX_VALUE : count); // shared: the waiter meant may be any
        }
    }

    private int lvSeq() {
        return (int) INT.getVolatile(memory, base + LockLayout.SEQ_OFFSET);
    }

    @Serial
    private Object writeReplace() {
        return new Ref(lock, index);
    }

    private record Ref(ShmLock lock, int index) implements Serializable {
        @Serial
        private Object readResolve() {
            return new ShmCondition(lock, index);
        }
    }

    @Override
    public String toString() {
        return "Condition[" + index + " of " + lock + "]";
    }
}
