package org.multiprocessing4j;

import java.lang.management.ManagementFactory;

/**
 * For AotCacheIT: a child whose target captures a string, one that captures a queue and a shared value
 * and uses them, and a pool worker; each reports the JVM options it was started with. With the
 * argument {@code spares}, on a warm-spare context: the AOT cache of the spare booted first, and of the
 * one booted after a pool took a spare.
 */
public final class AotKindsProbe {
    private AotKindsProbe() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("spares")) {
            spares();
            return;
        }
        Context ctx = Multiprocessing.local();
        String label = "plain options ";
        ChildProcess plain = ctx.process(() -> System.out.println(label + ManagementFactory.getRuntimeMXBean().getInputArguments()));
        plain.start();
        plain.join();
        try (ProcessQueue<String> queue = ctx.queue(); SharedLong counter = ctx.sharedLong(0)) {
            ChildProcess p = ctx.process(() -> {
                for (int i = 0; i < 1000; i++) {
                    counter.incrementAndGet();
                }
                try {
                    queue.put("queue options " + ManagementFactory.getRuntimeMXBean().getInputArguments());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            p.start();
            System.out.println(queue.take());
            p.join();
            System.out.println("queue exit " + p.exitCode().orElse(99) + " counter " + counter.get());
        }
        try (ProcessPool pool = ctx.pool(1)) {
            System.out.println("worker options " + pool.apply(() -> ManagementFactory.getRuntimeMXBean().getInputArguments()));
        }
    }

    private static void spares() throws InterruptedException {
        Context ctx = Multiprocessing.local(StartMethod.WARM_SPARE);
        ProcessHandle first = awaitSpare(-1);
        System.out.println("spare at first " + cacheOf(first));
        try (ProcessPool pool = ctx.pool(1)) {
            pool.apply(() -> 1);
        }
        System.out.println("spare after a pool " + cacheOf(awaitSpare(first.pid())));
    }

    /** A spare child of this JVM other than {@code not}, waiting up to 60 s for it to appear. */
    private static ProcessHandle awaitSpare(long not) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.util.Optional<ProcessHandle> spare = ProcessHandle.current().children()
                    .filter(p -> p.pid() != not && p.isAlive())
                    .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[a.length - 1].equals("spare")).orElse(false))
                    .findFirst();
            if (spare.isPresent()) {
                return spare.get();
            }
            Thread.sleep(20); // polling the process table for a child to appear: no event to wait on
        }
        throw new IllegalStateException("no spare after 60 s");
    }

    private static String cacheOf(ProcessHandle spare) {
        return java.util.Arrays.stream(spare.info().arguments().orElseThrow())
                .filter(a -> a.startsWith("-XX:AOTCache=")).findFirst().orElse("none");
    }
}
