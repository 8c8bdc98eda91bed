package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * A process lock's {@code newCondition()} never runs out (it failed at the 63rd, for the lock's life):
 * conditions share the lock's 62 slots round-robin, and a signal still reaches the waiter it is for
 * when two conditions, waited on in two processes, share a slot.
 */
class ConditionSlotsIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @Test
    void tenThousandConditionsOnOneLock() throws Exception {
        try (AutoCloseable closing = (AutoCloseable) ctx.lock()) {
            Lock lock = (Lock) closing;
            Condition last = null;
            for (int i = 0; i < 10_000; i++) {
                last = lock.newCondition();
            }
            lock.lock();
            try {
                assertThat(last.await(1, TimeUnit.MILLISECONDS)).as("no signal came").isFalse();
                last.signal(); // nobody waits: nothing happens
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Conditions 0 and 62 share slot 0: a thread here waits on the first, a child on the second. Each
     * signal wakes the waiter it is for (and may wake the other spuriously, which goes back to wait).
     */
    @Test
    void conditionsSharingASlotAcrossProcessesEachGetTheirSignal() throws Exception {
        Lock lock = ctx.lock();
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            conditions.add(lock.newCondition());
        }
        Condition here = conditions.get(0);
        Condition there = conditions.get(62);
        try (SharedLong hereGo = ctx.sharedLong(0); SharedLong thereGo = ctx.sharedLong(0);
                ProcessEvent childWaits = ctx.event()) {
            ChildProcess child = ctx.process(() -> {
                lock.lock();
                try {
                    childWaits.set(); // under the lock: once the parent holds it, this child waits
                    while (thereGo.get() == 0) {
                        there.awaitUninterruptibly();
                    }
                } finally {
                    lock.unlock();
                }
            }).start();
            CountDownLatch threadWaits = new CountDownLatch(1);
            // A thread of its own: one of the common pool, blocked here, could hold up what the library
            // runs there (the completion of a child's exit, on a 2-core machine).
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            Thread.ofPlatform().name("condition-waiter").start(() -> {
                lock.lock();
                try {
                    threadWaits.countDown();
                    while (hereGo.get() == 0) {
                        here.awaitUninterruptibly();
                    }
                } finally {
                    lock.unlock();
                }
                waiter.complete(null);
            });
            assertThat(childWaits.await(Duration.ofSeconds(60))).isTrue();
            assertThat(threadWaits.await(60, TimeUnit.SECONDS)).isTrue();
            signal(lock, there, thereGo);
            child.join();
            assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            assertThat(waiter).isNotDone(); // its predicate is still false
            signal(lock, here, hereGo);
            waiter.get(60, TimeUnit.SECONDS);
        } finally {
            ((AutoCloseable) lock).close();
        }
    }

    private static void signal(Lock lock, Condition condition, SharedLong go) {
        lock.lock(); // the waiter holds the lock until it waits: taking it means it waits now
        try {
            go.set(1);
            condition.signal();
        } finally {
            lock.unlock();
        }
    }
}
