package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.SharedWait;

/**
 * A robust mutex on one 64-bit word of shared memory: the protocol under {@link ShmLock}, also used as
 * the internal mutex of {@link ShmBarrier}. Stateless; every method takes the segment and the word's
 * offset.
 *
 * <p><b>The word.</b>
 * <pre>
 *  63                          32 31 30                          0
 *  +----------------------------+--+-----------------------------+
 *  | owner thread token         |W | owner pid                   |   0 = free
 *  +----------------------------+--+-----------------------------+
 *                               \__ low half: the futex word ____/
 * </pre>
 * The owner's identity is pid and a thread token (the low 32 bits of {@link Thread#threadId()}), so one
 * CAS both takes the lock and records who holds it. {@code W} says that someone may be blocked in the
 * kernel: the unlocker wakes one waiter only then. Waiters sleep on the low half (a futex is 32 bits),
 * which holds pid and {@code W}; the thread token changing under them does not matter, for they are
 * woken by {@code FUTEX_WAKE}, not by the value.
 *
 * <p><b>Protocol</b> (Drepper's "mutex2", with owner ids instead of the states 1 and 2): lock = CAS
 * 0 → me; contended: a short spin, then set {@code W} and {@code futex_wait(low half, observed)}
 * ({@link SharedWait}: {@code W} is how a sleeper announces itself, and it is never withdrawn); a
 * waiter that gets the lock takes it as {@code me|W}, since others may still be asleep. Unlock = CAS
 * me → 0, or, if {@code W} is set, swap in 0 and {@code futex_wake(1)}.
 *
 * <p><b>The owner's identity.</b> The word has no room for the start time that tells a process from a
 * later one with the same pid, so the long at {@code offset + }{@link #IDENTITY} holds the owner's
 * identity ({@link ProcessIds}: pid and start time): stored by the owner right after the CAS that
 * took the word, cleared before the release. (A layout that uses this class keeps that long free.)
 *
 * <p><b>Failure.</b> Waits last at most {@link Pids#CHUNK_NANOS}. A waiter whose wait timed out checks
 * the owner: gone if its pid is not running, or if the identity word names that pid with another
 * start time (the pid was reused: the owner died and a new process got its number). It then CASes the
 * dead owner's word to itself and reports {@link Result#RECOVERED} (pthread's {@code EOWNERDEAD}). An
 * identity word that does not name the word's pid (an owner a few instructions past its CAS, or one
 * killed there) leaves the question to the pid alone.
 */
final class RobustMutex {
    static final long WAITERS = 1L << 31;
    static final long PID_MASK = 0x7fff_ffffL;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    /** How long a contended acquire spins before it sleeps (about what 100 pauses and reads take). */
    private static final long SPIN_NANOS = 2_000;
    private static final SharedWait.Pacing PACING = new SharedWait.Pacing(SPIN_NANOS, 0, Pids.CHUNK_NANOS, false);
    private static final SharedWait.Pacing PACING_INTERRUPTIBLE =
            new SharedWait.Pacing(SPIN_NANOS, 0, Pids.CHUNK_NANOS, true);
    /** Where the owner's identity lies, from the word's offset. */
    static final long IDENTITY = 16;

    enum Result { ACQUIRED, RECOVERED, TIMED_OUT, INTERRUPTED }

    private RobustMutex() {}

    /** The calling thread's owner value: its token and this process's pid. */
    static long self() {
        return (Thread.currentThread().threadId() << 32) | Pids.SELF;
    }

    static long lvWord(MemorySegment memory, long offset) {
        return (long) LONG.getVolatile(memory, offset);
    }

    static boolean casWord(MemorySegment memory, long offset, long expected, long value) {
        return LONG.compareAndSet(memory, offset, expected, value);
    }

    static boolean isOwner(long word, long self) {
        return (word & ~WAITERS) == self;
    }

    static int ownerPid(long word) {
        return (int) (word & PID_MASK);
    }

    /** The uncontended path: one CAS (and the identity store). */
    static boolean tryAcquireFast(MemorySegment memory, long offset, long self) {
        if (casWord(memory, offset, 0L, self)) {
            acquiredBy(memory, offset);
            return true;
        }
        return false;
    }

    /** Records this process as the owner: after every CAS that takes the word. */
    static void acquiredBy(MemorySegment memory, long offset) {
        LONG.setRelease(memory, offset + IDENTITY, ProcessIds.self());
    }

    /** Whether the process that holds {@code word} is gone: its pid is not running, or is another process's now. */
    static boolean ownerDead(MemorySegment memory, long offset, long word) {
        int pid = ownerPid(word);
        if (pid == 0) {
            return false;
        }
        if (!ProcessIds.running(pid)) {
            return true;
        }
        long identity = (long) LONG.getAcquire(memory, offset + IDENTITY);
        return ProcessIds.pid(identity) == pid && !ProcessIds.alive(identity);
    }

    /**
     * Acquires, recovering from a dead owner. {@code deadline} (of {@link System#nanoTime()}) applies if
     * {@code timed}; an interrupt is seen within one chunk if {@code interruptible}.
     */
    static Result acquire(MemorySegment memory, long offset, long self, boolean timed,
            long deadline, boolean interruptible) {
        Acquire wait = new Acquire(memory, offset, self, interruptible);
        return switch (wait.await(timed, deadline)) {
            case READY -> wait.result;
            case INTERRUPTED -> Result.INTERRUPTED;
            case TIMED_OUT -> recoverIfDead(memory, offset, wait.word, wait.mine) ? Result.RECOVERED : Result.TIMED_OUT;
        };
    }

    /**
     * A contended acquire: CASes 0 to {@code self} while it spins, to {@code self|W} once it has
     * announced itself (it cannot know whether others still sleep); after a chunk that ran out, takes
     * the lock from a dead owner.
     */
    private static final class Acquire extends SharedWait {
        final MemorySegment memory;
        final long offset;
        final long self;
        final long mine;
        boolean announced;
        /** The word as last announced on ({@code W} set), for the recovery. */
        long word;
        Result result = Result.ACQUIRED;

        Acquire(MemorySegment memory, long offset, long self, boolean interruptible) {
            super(interruptible ? PACING_INTERRUPTIBLE : PACING, memory, offset + Pids.LOW_HALF, -1);
            this.memory = memory;
            this.offset = offset;
            this.self = self;
            this.mine = self | WAITERS; // having slept, we cannot know whether others still do
        }

        @Override
        protected boolean ready(boolean aboutToSleep) {
            if (lvWord(memory, offset) == 0 && casWord(memory, offset, 0L, announced ? mine : self)) {
                acquiredBy(memory, offset);
                return true;
            }
            return false;
        }

        /** Sets {@code W} on the word (if held) and sleeps on its low half as it is then. */
        @Override
        protected int announce() {
            announced = true;
            while (true) {
                long w = lvWord(memory, offset);
                if (w != 0 && (w & WAITERS) == 0 && !casWord(memory, offset, w, w | WAITERS)) {
                    continue;
                }
                word = w == 0 ? 0 : w | WAITERS;
                return (int) word; // 0: free now; ready takes it, or the futex returns at once
            }
        }

        @Override
        protected void withdraw() {
            // W stays: whoever takes the lock after a sleeper takes it as mine, with W
        }

        @Override
        protected boolean afterSleep(boolean timedOut) {
            if (timedOut && recoverIfDead(memory, offset, word, mine)) {
                result = Result.RECOVERED;
                return true;
            }
            return false;
        }
    }

    /** Takes the lock from its owner if that process is gone; false if it lives or the word moved. */
    static boolean recoverIfDead(MemorySegment memory, long offset, long word, long mine) {
        if (ownerDead(memory, offset, word) && casWord(memory, offset, word, mine)) {
            acquiredBy(memory, offset);
            return true;
        }
        return false;
    }

    /** Releases a word the caller owns ({@code word} as last read); wakes one sleeper if any. */
    static void release(MemorySegment memory, long offset, MemorySegment futexWord, long word) {
        LONG.setRelease(memory, offset + IDENTITY, 0L);
        if ((word & WAITERS) == 0 && casWord(memory, offset, word, 0L)) {
            return;
        }
        LONG.getAndSet(memory, offset, 0L);
        Futex.wake(futexWord, 1);
    }
}
