package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.PoolInsights;

/**
 * What a pool's {@link PoolInsights} remember beyond its live workers: the rows of the workers gone
 * (bounded: the oldest merge into one) and the slowest tasks any worker reported (the
 * {@value PoolInsights#SLOWEST} slowest).
 *
 * <p><b>Concurrency.</b> Guarded by the pool's lock: every method is called with it held.
 */
final class InsightsBook {
    /** How many gone workers' insights are kept one by one; older ones are merged into one row. */
    private static final int GONE_KEPT = 64;

    private final long createdAt = System.nanoTime();
    private final ArrayDeque<PoolInsights.Worker> gone = new ArrayDeque<>();
    private final List<PoolInsights.SlowTask> slowest = new ArrayList<>();

    /** The worker's counts and slowest tasks that follow its results. */
    void read(WorkerHandle worker, org.multiprocessing4j.internal.wire.ByteReader message) throws IOException {
        worker.tasks = message.readLong();
        worker.waiting = message.readLong();
        worker.deserializing = message.readLong();
        worker.working = message.readLong();
        worker.serializing = message.readLong();
        worker.sending = message.readLong();
        int slow = message.readCount(8 + 8 + 4);
        for (int i = 0; i < slow; i++) {
            long id = message.readLong();
            long nanos = message.readLong();
            String arguments = new String(message.readBytes(), java.nio.charset.StandardCharsets.UTF_8);
            slowest.add(new PoolInsights.SlowTask(worker.process.pid(), id, Duration.ofNanos(nanos), arguments));
            slowest.sort(java.util.Comparator.comparing(PoolInsights.SlowTask::duration).reversed());
            if (slowest.size() > PoolInsights.SLOWEST) {
                slowest.removeLast();
            }
        }
    }

    /** The insights of the pool whose live workers these are. */
    PoolInsights snapshot(List<WorkerHandle> workers) {
        long now = System.nanoTime();
        List<PoolInsights.Worker> all = new ArrayList<>(gone);
        for (WorkerHandle w : workers) {
            if (w.connected && !w.gone) {
                all.add(w.insights(now));
            }
        }
        return new PoolInsights(Duration.ofNanos(now - createdAt), all, slowest);
    }

    /** Keeps a gone worker's insights; beyond {@link #GONE_KEPT}, the oldest are merged into one row. */
    void keep(WorkerHandle worker) {
        worker.goneAt = System.nanoTime();
        gone.addLast(worker.insights(worker.goneAt));
        if (gone.size() > GONE_KEPT) {
            PoolInsights.Worker a = gone.pollFirst(); // the merged row, once there is one
            PoolInsights.Worker b = gone.pollFirst();
            gone.addFirst(new PoolInsights.Worker(-1, "replaced workers", false, a.tasks() + b.tasks(),
                    a.lifetime().plus(b.lifetime()), a.startup().plus(b.startup()), a.working().plus(b.working()),
                    a.waiting().plus(b.waiting()), a.deserializing().plus(b.deserializing()),
                    a.serializing().plus(b.serializing()), a.sending().plus(b.sending())));
        }
    }
}
