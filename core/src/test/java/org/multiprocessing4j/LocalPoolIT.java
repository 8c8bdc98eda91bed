package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        try (ProcessPool pool = newPool(2); ProcessEvent longMayEnd = ctx.event(); ProcessEvent shortMayEnd = ctx.event();
                ProcessSemaphore running = ctx.semaphore(0)) {
            pool.map(i -> { // the pool learns that these tasks take milliseconds, not microseconds
                sleep(Duration.ofMillis(20));
                return i;
            }, List.of(1, 2, 3, 4, 5, 6), 1);
            CompletableFuture<Long> longTask = pool.applyAsync(() -> {
                running.release();
                longMayEnd.await(Duration.ofSeconds(100));
                return pid();
            });
            CompletableFuture<Long> shortTask = pool.applyAsync(() -> {
                running.release();
                shortMayEnd.await(Duration.ofSeconds(100));
                return pid();
            });
            assertThat(running.tryAcquire(2, Duration.ofSeconds(60))).as("both workers are busy").isTrue();
            CompletableFuture<Long> last = pool.applyAsync(PoolContract::pid);
            shortMayEnd.set();

            long lastPid = last.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(longTask).isNotDone();
            assertThat(lastPid).isEqualTo(shortTask.get());
            longMayEnd.set();
            assertThat(longTask.get(60, java.util.concurrent.TimeUnit.SECONDS)).isNotEqualTo(lastPid);
        }
    }
}
