package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.SharedLongArray;

/**
 * How soon a waiter in another process wakes after an event is set: the Java side of
 * {@code bench/python/event_wake.py}.
 *
 * <p>Shape (keep in step with the script's docstring): two events, {@code go} and {@code ready}
 * ({@code ctx.event()}); one child process, started once. Runs 0 … {@code --n}, run 0 the warm-up,
 * untimed; each run {@code --count} (default 1,000) wakes. The child, per wake: {@code ready.set()}
 * (first time) then {@code go.await()}, records the time it woke ({@code System.nanoTime},
 * CLOCK_MONOTONIC, comparable across processes) in a shared array, {@code go.clear()},
 * {@code ready.set()}. The parent, per wake: {@code ready.await()}, {@code ready.clear()}, sleeps
 * 200 µs (so the child is asleep in {@code await}), records the time, {@code go.set()}. Latency =
 * woke − set. With {@code --threads virtual} the parent's and the child's loops run on a virtual
 * thread (CPython has OS threads only: the script runs the same either way). Reports {@code wake_us}:
 * per run the median latency in µs.
 */
public final class EventWakeWorkload {
    static final long SETTLE_NANOS = 200_000;

    private EventWakeWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 1_000);
        int total = (run.n + 1) * count;
        long[] setAt = new long[total];
        boolean virtual = run.virtualThreads();
        List<Double> medians = new ArrayList<>();
        try (ProcessEvent go = run.ctx.event();
                ProcessEvent ready = run.ctx.event();
                SharedLongArray woke = run.ctx.sharedLongArray(total)) {
            ChildProcess child = run.ctx.process(() -> {
                try {
                    WorkloadMain.onThread(virtual, () -> waiter(go, ready, woke, total));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            WorkloadMain.onThread(virtual, () -> {
                for (int k = 0; k < total; k++) {
                    ready.await();
                    ready.clear();
                    LockSupport.parkNanos(SETTLE_NANOS);
                    setAt[k] = System.nanoTime();
                    go.set();
                }
                ready.await();
            });
            child.join();
            WorkloadMain.check(child.exitCode().orElse(-1) == 0, "the child exited with " + child.exitCode());
            for (int r = 1; r <= run.n; r++) {
                List<Double> micros = new ArrayList<>(count);
                for (int i = r * count; i < (r + 1) * count; i++) {
                    long latency = woke.get(i) - setAt[i];
                    WorkloadMain.check(latency > 0, "woke before set at " + i);
                    micros.add(latency / 1e3);
                }
                medians.add(Stats.median(micros));
            }
        }
        Map<String, Object> out = run.header("event_wake");
        out.put("count", count);
        out.put("threads", virtual ? "virtual" : "platform");
        WorkloadMain.series(out, "wake", Row.Unit.US, medians);
        WorkloadMain.emit(out);
    }

    static void waiter(ProcessEvent go, ProcessEvent ready, SharedLongArray woke, int total) {
        try {
            ready.set();
            for (int k = 0; k < total; k++) {
                go.await();
                woke.set(k, System.nanoTime());
                go.clear();
                ready.set();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
