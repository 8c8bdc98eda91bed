package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.*;

import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.SharedWait;

/**
 * A joinable queue's count of unfinished tasks, {@code PUTS - DONE} ({@link QueueLayout}): every put
 * counts one up (its permit on {@code PUTS}), every {@code taskDone} and every record dropped as a dead
 * writer's counts one down, and {@link #join} waits until none is left.
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Concurrency.</i> Any thread of any attached process may call anything. {@code putsSeen} is a
 * process-local cache of {@code PUTS} (which only grows): a stale value sends the check to the shared
 * word. ({@code PUTS} also falls back when a put that reserved a permit finds no room; a
 * {@code taskDone} racing such a put may be checked against the higher value, as it was against the
 * one counter before.)
 *
 * <p><i>Blocking.</i> A joiner spins for a moment, then sleeps on {@code JOINED} ({@link SharedWait}),
 * counted in {@code JOIN_WAITERS}; whoever brings the count to zero with a joiner counted bumps
 * {@code JOINED} and wakes them all. A producer killed holding a permit counts as unfinished until a
 * joiner about to sleep gives the permit back ({@link RingRecovery#recoverDead}).
 */
final class JoinableCounter {
    private static final SharedWait.Pacing PACING = new SharedWait.Pacing(Ring.SPIN_NANOS, 0, Ring.SLICE_NANOS, true);

    private final Ring ring;
    private final MemorySegment joined;
    /** A value {@code PUTS} had, for taskDone's check. */
    private volatile long putsSeen;
    /**
     * A value {@code DONE} had, taskDone's first guess: right while this process alone calls it; a
     * wrong guess costs one more compare-and-exchange, which returns the right value.
     */
    private volatile long doneSeen;

    JoinableCounter(Ring ring) {
        this.ring = ring;
        this.joined = ring.m.asSlice(JOINED_OFFSET, 4);
    }

    long unfinished() {
        long done = ring.lvLong(DONE_OFFSET);
        return ring.lvLong(PUTS_OFFSET) - done;
    }

    /**
     * One task done; more than were put is an error. The check costs nothing while the last value of
     * {@code PUTS} seen is ahead; then it reads the consumers' own {@code TAKES} (never more than
     * {@code PUTS}), and the producers' {@code PUTS} only when that is not enough. In all, one shared
     * compare-and-exchange and one read of {@code JOIN_WAITERS} per task while the producers are ahead:
     * few calls, which is what counts before the JIT has compiled them.
     */
    void taskDone() {
        long done = doneSeen;
        while (true) {
            if (done >= putsSeen && done >= ring.lvLong(TAKES_OFFSET)) {
                putsSeen = ring.lvLong(PUTS_OFFSET);
                if (done >= putsSeen) {
                    throw new IllegalStateException("taskDone() called more times than there were items put");
                }
            }
            long seen = ring.caxLong(DONE_OFFSET, done, done + 1); // a full fence: before the read of JOIN_WAITERS
            if (seen == done) {
                doneSeen = done + 1;
                signalIfJoined();
                return;
            }
            done = seen; // DONE only grows, so a guess is never ahead of it: checked again with its value
        }
    }

    /** One more task done without the check (a dropped record's). */
    void done() {
        ring.addLong(DONE_OFFSET, 1);
        signalIfJoined();
    }

    /** Wakes the joiners if the count reached zero (after a fence: a CAS or a get-and-add). */
    void signalIfJoined() {
        if (ring.lvInt(JOIN_WAITERS_OFFSET) > 0 && unfinished() <= 0) {
            ring.addInt(JOINED_OFFSET, 1);
            Futex.wake(joined, Integer.MAX_VALUE);
        }
    }

    void join() throws InterruptedException {
        if (unfinished() <= 0) {
            return;
        }
        SharedWait wait = new SharedWait(PACING, ring.m, JOINED_OFFSET, JOIN_WAITERS_OFFSET) {
            @Override
            protected boolean ready(boolean announced) {
                if (unfinished() <= 0) {
                    return true;
                }
                if (!announced) {
                    return false;
                }
                ring.recovery.recoverDead(); // a producer killed holding a permit counts as unfinished until then
                return unfinished() <= 0;
            }
        };
        if (wait.await() == SharedWait.Outcome.INTERRUPTED) {
            throw new InterruptedException();
        }
    }
}
