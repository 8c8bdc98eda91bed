package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One thread's wait for another thread or process to change shared memory: the one loop every blocking
 * path of the library runs (a queue's put, take and join, a pipe's send, receive and poll, a manager
 * channel's call and reply, a lock, an event, a semaphore). A subclass says what it waits for
 * ({@link #ready}) and what it does about its peer ({@link #peerGone}, {@link #afterSleep}); this class
 * says how long to spin, yield and sleep, and keeps the deadline.
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Phases.</i> A wait first spins ({@link Thread#onSpinWait}) for {@link Pacing#spinNanos}, then
 * yields the processor for {@link Pacing#yieldNanos} more, calling {@code ready(false)} after each pause:
 * the other side is often a fraction of a microsecond away, and a futex sleep and wake would cost both
 * sides a system call and the sleeper a scheduling delay. The clock is read every 16 pauses while
 * spinning, after every pause while yielding (a clock read costs about what a pause does); every 64
 * pauses {@link #peerGone} may cut the phase short. Then it sleeps on a futex word, in slices of
 * {@link Pacing#sliceNanos}, each twice the last up to {@link Pacing#maxSliceNanos}, and never past
 * the deadline.
 *
 * <p><i>Sleeping (Dekker-style).</i> A sleeper announces itself ({@link #announce}: a count of sleepers
 * bumped with a full fence, or a flag in the word itself), reads the futex word, re-checks
 * ({@code ready(true)}: the thorough check, which may look for a dead peer's leftovers), and sleeps
 * while the word still holds the value it read. A waker publishes, fences, and bumps the word and wakes
 * only if it sees a sleeper. A change after the read makes the kernel return at once ({@code EAGAIN}),
 * so no wake-up is lost; a wake-up lost all the same (a peer killed between its publish and its wake)
 * costs one slice, never a hang.
 *
 * <p><i>Failure.</i> After each slice {@link #afterSleep} checks what the caller must: its own end
 * (closed, interrupted), and, when the slice ran out, whether the peer's process still lives. A peer
 * that died without a word is noticed within a slice. What the subclass throws there is what the
 * caller's caller sees.
 *
 * <p><i>Deadlines and interrupts.</i> {@link #await} returns {@link Outcome#TIMED_OUT} once the deadline
 * has passed (seen at a clock read of the first phase, or before a sleep). With
 * {@link Pacing#interruptible}, an interrupt is seen at each clock read of the first phase and before each
 * sleep, and returns {@link Outcome#INTERRUPTED} with the interrupt status cleared. Readiness wins: a
 * wait whose condition holds returns {@link Outcome#READY}, and an interrupt that came meanwhile stays
 * set. Callers that do not take interrupts leave {@code interruptible} off and look at their own end in
 * {@link #afterSleep}.
 *
 * <p><i>Virtual threads.</i> The sleep goes through {@link Futex}, which parks a virtual thread
 * ({@link FutexWaiter}: one platform thread sleeps in the kernel for all of them) instead of holding its
 * carrier in a native call; a pause and a yield are the same for both kinds of thread (a virtual
 * thread's yield lets its carrier run another). Nothing here differs by kind of thread.
 *
 * <p><i>Concurrency.</i> An instance is one wait's: made per wait, or kept by a structure with one
 * waiter per side at a time and reused. It is not thread-safe.
 */
public abstract class SharedWait {
    private static final VarHandle INT = JAVA_INT.varHandle();

    /** How a wait ended. */
    public enum Outcome { READY, TIMED_OUT, INTERRUPTED }

    /**
     * How long a wait spins, then yields, before it sleeps in slices ({@code sliceNanos}, doubling up
     * to {@code maxSliceNanos}); {@code interruptible}: whether an interrupt ends it.
     */
    public record Pacing(long spinNanos, long yieldNanos, long sliceNanos, long maxSliceNanos, boolean interruptible) {
        public Pacing {
            if (spinNanos < 0 || yieldNanos < 0 || sliceNanos <= 0 || maxSliceNanos < sliceNanos) {
                throw new IllegalArgumentException("spin " + spinNanos + ", yield " + yieldNanos + ", slices "
                        + sliceNanos + " to " + maxSliceNanos + " ns");
            }
        }

        /** Slices of one length. */
        public Pacing(long spinNanos, long yieldNanos, long sliceNanos, boolean interruptible) {
            this(spinNanos, yieldNanos, sliceNanos, sliceNanos, interruptible);
        }
    }

    private final Pacing pacing;
    private final MemorySegment memory;
    private final long wordOffset;
    private final long sleepersOffset;
    private MemorySegment word; // the futex word, sliced at the first sleep

    /**
     * A wait that sleeps on the int at {@code wordOffset} of {@code memory} and counts its sleepers in
     * the int at {@code sleepersOffset} (or, with {@code sleepersOffset < 0}, in a way of its own:
     * {@link #announce} and {@link #withdraw} overridden).
     */
    protected SharedWait(Pacing pacing, MemorySegment memory, long wordOffset, long sleepersOffset) {
        this.pacing = pacing;
        this.memory = memory;
        this.wordOffset = wordOffset;
        this.sleepersOffset = sleepersOffset;
    }

    /**
     * Re-checks what the caller waits for, and takes it if it can; true ends the wait. {@code announced}:
     * this thread is counted as a sleeper and about to sleep: the thorough check (a dead peer's leftovers,
     * the peer's end); it may throw the caller's exception.
     */
    protected abstract boolean ready(boolean announced);

    /** Whether the peer is gone, by a cheap look (no system call): ends the first phase early. */
    protected boolean peerGone() {
        return false;
    }

    /**
     * After each sleep, if the caller is not ready yet: its own end (closed, interrupted) and, if the
     * slice ran out ({@code timedOut}; a lean {@link #sleep} may not say, and says true), its peer's
     * process. Throws the caller's exception, or returns true if the wait is over after all.
     */
    protected boolean afterSleep(boolean timedOut) {
        return false;
    }

    /**
     * Counts this thread as a sleeper (a full fence) and returns the value of the futex word to sleep
     * on, read after the count.
     */
    protected int announce() {
        INT.getAndAdd(memory, sleepersOffset, 1);
        return (int) INT.getAcquire(memory, wordOffset);
    }

    /** Takes back {@link #announce}. */
    protected void withdraw() {
        INT.getAndAdd(memory, sleepersOffset, -1);
    }

    /** Sleeps while {@code word} holds {@code observed}, at most {@code nanos}; true if the time ran out. */
    protected boolean sleep(MemorySegment word, int observed, long nanos) {
        return Futex.sleep(word, observed, nanos);
    }

    /** Waits without a deadline. */
    public final Outcome await() {
        return await(false, 0);
    }

    /**
     * Waits until {@link #ready} says so, or, if {@code timed}, until {@code deadline} (of
     * {@link System#nanoTime()}).
     */
    public final Outcome await(boolean timed, long deadline) {
        long start = System.nanoTime();
        long spin = pacing.spinNanos;
        long pausing = spin + pacing.yieldNanos;
        long waited = 0;
        for (int pauses = 1; waited < pausing; pauses++) {
            if (waited < spin) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            if (ready(false)) {
                return Outcome.READY;
            }
            if ((pauses & 15) == 0 || waited >= spin) {
                long now = System.nanoTime();
                waited = now - start;
                if (timed && now - deadline >= 0) {
                    return Outcome.TIMED_OUT;
                }
                if (pacing.interruptible && Thread.interrupted()) {
                    return Outcome.INTERRUPTED;
                }
            }
            if ((pauses & 63) == 0 && peerGone()) {
                break;
            }
        }
        return sleepUntilReady(timed, deadline);
    }

    private Outcome sleepUntilReady(boolean timed, long deadline) {
        long slice = pacing.sliceNanos;
        while (true) {
            boolean timedOut;
            int observed = announce();
            try {
                if (ready(true)) {
                    return Outcome.READY;
                }
                if (pacing.interruptible && Thread.interrupted()) {
                    return Outcome.INTERRUPTED;
                }
                long nanos = slice;
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return Outcome.TIMED_OUT;
                    }
                    nanos = Math.min(nanos, remaining);
                }
                timedOut = sleep(word(), observed, nanos);
            } finally {
                withdraw();
            }
            if (ready(false) || afterSleep(timedOut)) {
                return Outcome.READY;
            }
            slice = Math.min(2 * slice, pacing.maxSliceNanos);
        }
    }

    private MemorySegment word() {
        MemorySegment w = word;
        if (w == null) {
            word = w = memory.asSlice(wordOffset, JAVA_INT.byteSize());
        }
        return w;
    }
}
