package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedLongArray;

/**
 * How soon a waiter in another process gets a lock after it is released: the Java side of
 * {@code bench/python/lock_wake.py}.
 *
 * <p>Shape (keep in step with the script's docstring): a lock ({@code ctx.lock()}) and three events
 * {@code turn}, {@code ready}, {@code done}; one child process, started once. Runs 0 … {@code --n},
 * run 0 the warm-up, untimed; each run {@code --count} (default 1,000) hand-overs. The parent, per
 * hand-over: {@code lock()}, {@code turn.set()}, {@code ready.await()}, {@code ready.clear()}, sleeps
 * 200 µs (so the child is asleep in {@code lock()}), records the time, {@code unlock()},
 * {@code done.await()}, {@code done.clear()}. The child, per hand-over: {@code turn.await()},
 * {@code turn.clear()}, {@code ready.set()}, {@code lock()}, records the time it got the lock
 * ({@code System.nanoTime}, CLOCK_MONOTONIC, comparable across processes) in a shared array,
 * {@code unlock()}, {@code done.set()}. Latency = got − released. With {@code --threads virtual} the
 * parent's and the child's loops run on a virtual thread (CPython has OS threads only: the script runs
 * the same either way). Reports {@code wake_us}: per run the median latency in µs.
 */
public final class LockWakeWorkload {
    static final long SETTLE_NANOS = 200_000;

    private LockWakeWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 1_000);
        int total = (run.n + 1) * count;
        long[] releasedAt = new long[total];
        boolean virtual = run.virtualThreads();
        List<Double> medians = new ArrayList<>();
        try (ProcessLock lock = run.ctx.lock();
                ProcessEvent turn = run.ctx.event();
                ProcessEvent ready = run.ctx.event();
                ProcessEvent done = run.ctx.event();
                SharedLongArray got = run.ctx.sharedLongArray(total)) {
            ChildProcess child = run.ctx.process(() -> {
                try {
                    WorkloadMain.onThread(virtual, () -> waiter(lock, turn, ready, done, got, total));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            WorkloadMain.onThread(virtual, () -> {
                for (int k = 0; k < total; k++) {
                    lock.lock();
                    turn.set();
                    awaitChild(ready, child);
                    ready.clear();
                    LockSupport.parkNanos(SETTLE_NANOS);
                    releasedAt[k] = System.nanoTime();
                    lock.unlock();
                    awaitChild(done, child);
                    done.clear();
                }
            });
            child.join();
            WorkloadMain.check(child.exitCode().orElse(-1) == 0, "the child exited with " + child.exitCode());
            for (int r = 1; r <= run.n; r++) {
                List<Double> micros = new ArrayList<>(count);
                for (int i = r * count; i < (r + 1) * count; i++) {
                    long latency = got.get(i) - releasedAt[i];
                    WorkloadMain.check(latency > 0, "got the lock before its release at " + i);
                    micros.add(latency / 1e3);
                }
                medians.add(Stats.median(micros));
            }
        }
        Map<String, Object> out = run.header("lock_wake");
        out.put("count", count);
        out.put("threads", virtual ? "virtual" : "platform");
        WorkloadMain.series(out, "wake", Row.Unit.US, medians);
        WorkloadMain.emit(out);
    }

    /** Waits for {@code event}, failing if the child has ended meanwhile (it would never be set). */
    private static void awaitChild(ProcessEvent event, ChildProcess child) throws InterruptedException {
        while (!event.await(java.time.Duration.ofSeconds(1))) {
            WorkloadMain.check(child.isAlive(), "the child exited with " + child.exitCode());
        }
    }

    static void waiter(ProcessLock lock, ProcessEvent turn, ProcessEvent ready, ProcessEvent done,
            SharedLongArray got, int total) throws InterruptedException {
        for (int k = 0; k < total; k++) {
            turn.await();
            turn.clear();
            ready.set();
            lock.lock();
            got.set(k, System.nanoTime());
            lock.unlock();
            done.set();
        }
    }
}
