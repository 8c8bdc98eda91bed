package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedLong;

/**
 * A counter that several processes add to: seed 004's {@code d['count'] -= 1} from 100 processes
 * ("不加锁而操作共享的数据,肯定会出现数据错乱": without a lock the shared data is certainly corrupted,
 * {@code {'count': 94}}) and seed 000's lock. Three ways, four processes, {@value #EACH} additions each:
 * <ol>
 *   <li>{@code v.set(v.get() + 1)}, Python's {@code v.value += 1} without the lock: read and write are
 *       two steps, another process writes in between, and its update is lost;</li>
 *   <li>{@code v.incrementAndGet()}: one atomic instruction on the shared word, exact, no lock;</li>
 *   <li>{@code v.lock()} around the read and write (Python's {@code with v.get_lock():}): exact.</li>
 * </ol>
 * The processes wait for each other at a start line, so that their loops do overlap.
 */
public final class Counter {
    static final int PROCESSES = 4;
    static final int EACH = 100_000;

    private Counter() {}

    /** One way of adding 1, run {@value #EACH} times by each process. */
    enum Way {
        UNSYNCHRONIZED("v.set(v.get() + 1), no lock"),
        ATOMIC("v.incrementAndGet()"),
        LOCKED("v.lock(); v.set(v.get() + 1); v.unlock()");

        final String code;

        Way(String code) {
            this.code = code;
        }

        void add(SharedLong v) {
            switch (this) {
                case UNSYNCHRONIZED -> v.set(v.get() + 1);
                case ATOMIC -> v.incrementAndGet();
                case LOCKED -> {
                    v.lock().lock();
                    try {
                        v.set(v.get() + 1);
                    } finally {
                        v.lock().unlock();
                    }
                }
            }
        }
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        for (Way way : Way.values()) {
            try (SharedLong counter = ctx.sharedLong(0); SharedLong ready = ctx.sharedLong(0)) {
                long t0 = System.nanoTime();
                run(ctx, PROCESSES, () -> {
                    startLine(ready, PROCESSES);
                    for (int i = 0; i < EACH; i++) {
                        way.add(counter);
                    }
                });
                long expected = (long) PROCESSES * EACH;
                long lost = expected - counter.get();
                System.out.printf("%-45s %d processes x %d: count = %d of %d, %s (%.2f s)%n", way.code, PROCESSES,
                        EACH, counter.get(), expected, lost == 0 ? "exact" : lost + " updates lost",
                        Work.secondsSince(t0));
            }
        }
    }

    /** Starts {@code n} processes running {@code target} (with {@code jvmOptions}) and waits for them all. */
    static void run(Context ctx, int n, SerializableRunnable target, String... jvmOptions) {
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(ctx.process(target).jvmOptions(jvmOptions).start());
        }
        for (ChildProcess c : children) {
            c.join();
            if (c.exitCode().orElse(-1) != 0) {
                throw new IllegalStateException(c.name() + " failed with exit code " + c.exitCode());
            }
        }
    }

    /** Every process arrives, then all go at once: a barrier out of one shared counter. */
    static void startLine(SharedLong ready, int parties) {
        ready.incrementAndGet();
        while (ready.get() < parties) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
