package org.example.mp4japp;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;

/**
 * What a user's first program does: a child from a lambda, a {@code Pool(2)} map, a queue between two
 * children. Prints {@code mp4j-app OK} and the pids of every process it saw, which {@link Check} then
 * expects gone, with their shared segments.
 */
public final class App {
    public static void main(String[] args) throws Exception {
        long self = ProcessHandle.current().pid();
        Set<Long> seen = new TreeSet<>();
        Context ctx = Multiprocessing.local();

        try (ProcessQueue<Long> pids = ctx.queue()) {
            ChildProcess child = ctx.process(() -> pids.add(ProcessHandle.current().pid())).start();
            child.join();
            long childPid = pids.take();
            require(child.exitCode().orElse(-1) == 0, "child exit code " + child.exitCode());
            require(childPid == child.pid() && childPid != self, "child pid " + childPid);
            seen.add(childPid);
        }

        try (ProcessPool pool = ctx.pool(2)) {
            List<Long> squares = pool.map(x -> (long) x * x, IntStream.rangeClosed(1, 100).boxed().toList());
            require(squares.stream().mapToLong(Long::longValue).sum() == 338_350, "pool map " + squares);
            List<Long> workers = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4), 1);
            require(!workers.contains(self), "a pool task ran in the parent");
            seen.addAll(workers);
            ProcessHandle.current().descendants().forEach(p -> seen.add(p.pid()));
        }

        try (ProcessQueue<Integer> items = ctx.queue(16); ProcessQueue<Long> sums = ctx.queue()) {
            ChildProcess producer = ctx.process(() -> {
                for (int i = 1; i <= 1000; i++) {
                    put(items, i);
                }
                put(items, -1);
            });
            ChildProcess consumer = ctx.process(() -> {
                long sum = 0;
                for (int i; (i = take(items)) != -1; ) {
                    sum += i;
                }
                sums.add(sum);
            });
            consumer.start();
            producer.start();
            seen.add(producer.pid());
            seen.add(consumer.pid());
            long sum = sums.take();
            producer.join();
            consumer.join();
            require(sum == 500_500, "queue sum " + sum);
        }
        seen.add(self);
        System.out.println("mp4j-app pids " + seen);
        System.out.println("mp4j-app OK");
    }

    private static <E> void put(ProcessQueue<E> queue, E item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <E> E take(ProcessQueue<E> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("unexpected: " + what);
        }
    }
}
