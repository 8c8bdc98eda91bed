package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@link PoolContract} on the local backend: worker JVMs on this machine, and its scheduling. */
class LocalPoolIT extends PoolContract {
    @Override
    protected ProcessPool newPool(int processes) {
        return Multiprocessing.local().pool(processes);
    }

    /**
     * Long tasks are sent ahead to a busy worker only while there is more than one per worker: the last
     * task goes to the first worker that is free, never behind a long task (as in CPython, whose workers
     * take a task only when free).
     */
    @Test
    void theLastTaskGoesToTheFirstFreeWorkerNotBehindALongTask() throws Exception {
        Context ctx = Multiprocessing.local();
        try (ProcessPool pool = newPool(2); ProcessEvent endLong = ctx.event(); ProcessEvent endShort = ctx.event()) {
            pool.map(i -> { // the pool learns that these tasks take milliseconds, not microseconds
                sleep(Duration.ofMillis(20));
                return i;
            }, List.of(1, 2, 3, 4, 5, 6), 1);
            CompletableFuture<Long> longTask = pool.applyAsync(() -> {
                endLong.await();
                return pid();
            });
            CompletableFuture<Long> shortTask = pool.applyAsync(() -> {
                endShort.await();
                return pid();
            });
            CompletableFuture<Long> last = pool.applyAsync(PoolContract::pid);
            try {
                endShort.set(); // both workers are busy, or will be: the last task may only go to the first one free

                long lastPid = last.get(60, TimeUnit.SECONDS);
                assertThat(longTask).isNotDone();
                assertThat(lastPid).isEqualTo(shortTask.get(60, TimeUnit.SECONDS));
                endLong.set();
                assertThat(longTask.get(60, TimeUnit.SECONDS)).isNotEqualTo(lastPid);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("long " + longTask + ", short " + shortTask + ", last " + last + "; " + pool, e);
            } finally {
                endLong.set(); // a failure must not leave close() waiting for the long task
            }
        }
    }
}
