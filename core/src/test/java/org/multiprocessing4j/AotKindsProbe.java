package org.multiprocessing4j;

import java.lang.management.ManagementFactory;

/**
 * For AotCacheIT: a plain child that uses a queue and shared memory (classes a plain child's AOT cache
 * does not hold), and a pool worker; each reports the JVM options it was started with.
 */
public final class AotKindsProbe {
    private AotKindsProbe() {}

    public static void main(String[] args) throws InterruptedException {
        Context ctx = Multiprocessing.local();
        try (ProcessQueue<String> queue = ctx.queue(); SharedLong counter = ctx.sharedLong(0)) {
            ChildProcess p = ctx.process(() -> {
                for (int i = 0; i < 1000; i++) {
                    counter.incrementAndGet();
                }
                try {
                    queue.put("plain options " + ManagementFactory.getRuntimeMXBean().getInputArguments());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            p.start();
            System.out.println(queue.take());
            p.join();
            System.out.println("plain exit " + p.exitCode().orElse(99) + " counter " + counter.get());
        }
        try (ProcessPool pool = ctx.pool(1)) {
            System.out.println("worker options " + pool.apply(() -> ManagementFactory.getRuntimeMXBean().getInputArguments()));
        }
    }
}
