package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SharedLongArray;

/**
 * Four producer processes to four consumer processes through one queue: the Java side of
 * {@code bench/python/queue_mpmc.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.queue()}, unbounded;
 * {@code --producers} (4) and {@code --consumers} (4) child processes, started once; rounds 0 …
 * {@code --n}, round 0 the warm-up, untimed. Per round the parent, the producers and the consumers meet at a
 * barrier ({@code ctx.barrier}); then producer p records its start ({@code System.nanoTime}, CLOCK_MONOTONIC,
 * comparable across processes) and puts the ints p, p + P, p + 2P … ({@code --count} ÷ P of them;
 * {@code --count} default 200,000); each consumer takes {@code --count} ÷ C items, checks each (an int
 * below count whose producer's items arrive in order), and records its end. The round's time is the
 * last consumer's end − the first producer's start. Reports {@code items_per_s} (count ÷ time) and the
 * time in ms.
 */
public final class QueueMpmcWorkload {
    private QueueMpmcWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int producers = run.intOption("producers", 4);
        int consumers = run.intOption("consumers", 4);
        int per = run.intOption("count", 200_000) / producers;
        int share = run.intOption("count", 200_000) / consumers;
        int count = per * producers;
        WorkloadMain.check(share * consumers == count, "--count must divide by both " + producers + " and " + consumers);
        int rounds = run.n + 1;
        List<Double> perSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        try (ProcessQueue<Integer> q = run.ctx.queue();
                ProcessBarrier barrier = run.ctx.barrier(producers + consumers + 1);
                SharedLongArray starts = run.ctx.sharedLongArray(rounds * producers);
                SharedLongArray ends = run.ctx.sharedLongArray(rounds * consumers)) {
            List<ChildProcess> children = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                children.add(run.ctx.process(() -> produce(q, barrier, starts, id, producers, per, rounds)));
            }
            for (int c = 0; c < consumers; c++) {
                int id = c;
                children.add(run.ctx.process(() -> consume(q, barrier, ends, id, consumers, producers, count, share, rounds)));
            }
            children.forEach(ChildProcess::start);
            List<ChildProcess> consumerProcesses = children.subList(producers, children.size());
            for (int r = 0; r < rounds; r++) {
                barrier.await();
                while (!allSet(ends, r, consumers)) {
                    for (int c = 0; c < consumers; c++) {
                        WorkloadMain.check(consumerProcesses.get(c).isAlive() || ends.get(r * consumers + c) != 0,
                                "consumer " + c + " exited early: " + consumerProcesses.get(c).stderrTail());
                    }
                    Thread.sleep(0, 500_000); // off the CPU: the children need it
                }
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (int p = 0; p < producers; p++) {
                    first = Math.min(first, starts.get(r * producers + p));
                }
                for (int c = 0; c < consumers; c++) {
                    last = Math.max(last, ends.get(r * consumers + c));
                }
                if (r > 0) {
                    double seconds = (last - first) / 1e9;
                    perSecond.add(count / seconds);
                    millis.add(seconds * 1e3);
                }
            }
            for (ChildProcess child : children) {
                child.join();
                WorkloadMain.check(child.exitCode().orElse(-1) == 0, "a child exited with " + child.exitCode()
                        + ": " + child.stderrTail());
            }
        }
        Map<String, Object> out = run.header("queue_mpmc");
        out.put("count", count);
        out.put("producers", producers);
        out.put("consumers", consumers);
        WorkloadMain.series(out, "items", Row.Unit.PER_S, perSecond);
        WorkloadMain.series(out, "time", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }

    private static boolean allSet(SharedLongArray ends, int round, int consumers) {
        for (int c = 0; c < consumers; c++) {
            if (ends.get(round * consumers + c) == 0) {
                return false;
            }
        }
        return true;
    }

    /** A producer: per round, the barrier, its start, its ints. */
    static void produce(ProcessQueue<Integer> q, ProcessBarrier barrier, SharedLongArray starts, int p,
            int producers, int per, int rounds) {
        try {
            for (int r = 0; r < rounds; r++) {
                barrier.await();
                starts.set(r * producers + p, System.nanoTime());
                for (int i = 0; i < per; i++) {
                    q.put(p + producers * i);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A consumer: per round, its share of takes, each checked, then its end. */
    static void consume(ProcessQueue<Integer> q, ProcessBarrier barrier, SharedLongArray ends, int c, int consumers,
            int producers, int count, int share, int rounds) {
        try {
            for (int r = 0; r < rounds; r++) {
                barrier.await(); // a consumer done with its share does not take the next one's items
                int[] last = new int[producers];
                java.util.Arrays.fill(last, -1);
                for (int i = 0; i < share; i++) {
                    int o = q.take();
                    // the message is built only on a mismatch, here as in the script
                    if (!(o >= 0 && o < count && o > last[o % producers])) {
                        WorkloadMain.check(false, "item " + o + " out of order or range");
                    }
                    last[o % producers] = o;
                }
                ends.set(r * consumers + c, System.nanoTime());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
