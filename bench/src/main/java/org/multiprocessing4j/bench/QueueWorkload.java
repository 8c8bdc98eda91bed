package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SharedLongArray;

/**
 * One producer process to one consumer process through a queue: the Java side of
 * {@code bench/python/queue_transfer.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.queue()} (with {@code --joinable},
 * {@code ctx.joinableQueue()}), unbounded; the parent is the producer, one child process, started
 * once, the consumer; rounds 0 … {@code --n}, round 0 the warm-up, untimed. Per round the parent
 * {@code put}s {@code --count} items (default 200,000): {@code --item int} the ints 0 … count-1 (boxed),
 * {@code --item kib} a 1 KiB {@code byte[]}; the consumer {@code take}s them and checks each (the int
 * in order; the length). Without {@code --joinable} the consumer records the time after its last take
 * ({@code System.nanoTime}, CLOCK_MONOTONIC, comparable across processes) and the round's time is
 * that − the parent's time before its first put; with {@code --joinable} the consumer calls
 * {@code taskDone()} per item and the round's time is the parent's first put → its {@code join()}
 * returning. With {@code --threads virtual} the parent's puts and the child's takes run on a virtual
 * thread (CPython has OS threads only: the script runs the same either way). Reports
 * {@code items_per_s} (count ÷ time) and the time in ms.
 */
public final class QueueWorkload {
    static final int KIB = 1024;

    private QueueWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 200_000);
        String item = run.options.getOrDefault("item", "int");
        boolean kib = switch (item) {
            case "int" -> false;
            case "kib" -> true;
            default -> throw new IllegalArgumentException("--item int|kib, was " + item);
        };
        boolean joinable = run.flag("joinable");
        boolean virtual = run.virtualThreads();
        int rounds = run.n + 1;
        List<Double> perSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        try (ProcessQueue<Object> q = joinable ? run.ctx.joinableQueue() : run.ctx.queue();
                SharedLongArray ends = run.ctx.sharedLongArray(rounds)) {
            ChildProcess child = run.ctx.process(() -> {
                try {
                    WorkloadMain.onThread(virtual, () -> consume(q, ends, count, rounds, kib, joinable));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            WorkloadMain.onThread(virtual, () -> produce(q, ends, child, count, rounds, kib, joinable,
                    perSecond, millis));
            child.join();
            WorkloadMain.check(child.exitCode().orElse(-1) == 0, "the consumer exited with " + child.exitCode());
        }
        Map<String, Object> out = run.header(joinable ? "joinable_queue" : "queue_" + item);
        out.put("count", count);
        out.put("item", item);
        out.put("joinable", joinable);
        out.put("threads", virtual ? "virtual" : "platform");
        WorkloadMain.series(out, "items", Row.Unit.PER_S, perSecond);
        WorkloadMain.series(out, "time", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }

    /** The parent: per round, {@code count} puts, then the consumer's end time (or {@code join}). */
    private static void produce(ProcessQueue<Object> q, SharedLongArray ends, ChildProcess child,
            int count, int rounds, boolean kib, boolean joinable, List<Double> perSecond, List<Double> millis)
            throws InterruptedException {
        byte[] payload = new byte[KIB];
        for (int i = 0; i < KIB; i++) {
            payload[i] = (byte) i;
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                q.put(kib ? payload : Integer.valueOf(i));
            }
            long t1;
            if (joinable) {
                ((JoinableQueue<Object>) q).join();
                t1 = System.nanoTime();
            } else {
                while ((t1 = ends.get(r)) == 0) {
                    WorkloadMain.check(child.isAlive() || ends.get(r) != 0, "the consumer exited early");
                    LockSupport.parkNanos(50_000); // off the CPU: the consumer needs it
                }
            }
            if (r > 0) {
                double seconds = (t1 - t0) / 1e9;
                perSecond.add(count / seconds);
                millis.add(seconds * 1e3);
            }
        }
    }

    /** The child: per round, {@code count} takes, each checked (and {@code taskDone}), then the end time. */
    static void consume(ProcessQueue<Object> q, SharedLongArray ends, int count, int rounds, boolean kib,
            boolean joinable) {
        try {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < count; i++) {
                    Object o = q.take();
                    // the message is built only on a mismatch, here as in the script
                    if (kib ? !(o instanceof byte[] b && b.length == KIB) : !(o instanceof Integer x && x == i)) {
                        WorkloadMain.check(false, kib ? "not a 1 KiB byte[]" : "item " + o + ", expected " + i);
                    }
                    if (joinable) {
                        ((JoinableQueue<Object>) q).taskDone();
                    }
                }
                ends.set(r, System.nanoTime());
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
