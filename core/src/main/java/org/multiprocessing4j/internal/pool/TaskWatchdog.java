package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's task watchdog ({@code taskTimeout}): a virtual thread that looks at every worker's running
 * task a few times per timeout and kills the worker of a task that has run too long; the pool then
 * fails that task with {@link org.multiprocessing4j.TaskTimeoutException} and replaces the worker, as
 * for any lost worker.
 *
 * <p><b>Concurrency.</b> Reads and marks the workers under the pool's lock; ends once the pool has
 * terminated. A task is timed from when the watch first saw it running: late by a period at most.
 */
final class TaskWatchdog implements Runnable {
    private final Duration timeout;
    private final ReentrantLock lock;
    private final List<WorkerHandle> workers; // guarded by lock
    private final CountDownLatch terminated;

    TaskWatchdog(Duration timeout, ReentrantLock lock, List<WorkerHandle> workers, CountDownLatch terminated) {
        this.timeout = timeout;
        this.lock = lock;
        this.workers = workers;
        this.terminated = terminated;
    }

    @Override
    public void run() {
        long timeout = this.timeout.toNanos();
        long period = Math.clamp(timeout / 10, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(200));
        while (terminated.getCount() > 0) {
            try {
                terminated.await(period, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                long now = System.nanoTime();
                for (WorkerHandle w : workers) {
                    if (w.kill != WorkerHandle.Kill.NONE) {
                        continue;
                    }
                    // timed from when this watch first saw the task running: late by a period at most
                    PoolTask<?> running = w.running();
                    long id = running == null ? 0 : running.id;
                    if (id != w.watchedId) {
                        w.watchedId = id;
                        w.watchedSince = now;
                    } else if (running != null && now - w.watchedSince > timeout) {
                        w.kill = WorkerHandle.Kill.TIMEOUT;
                        w.killedFor = running;
                        w.process.kill();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
