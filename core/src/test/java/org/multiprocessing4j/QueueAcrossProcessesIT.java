package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Queues between real processes: every message exactly once and in per-producer order, from 1 byte
 * to 8 MiB; task counting across processes; a producer killed with {@code kill -9} mid-stress does
 * not wedge the queue.
 */
class QueueAcrossProcessesIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();
    private static final int[] SIZES = {1, 10, 100, 1000, 10_000, 100_000};

    static int sizeOf(int producer, int seq) {
        if (seq % 97 == 50) {
            return 8 << 20;
        }
        return SIZES[(seq + producer) % SIZES.length];
    }

    static byte[] body(int producer, int seq) {
        byte[] b = new byte[sizeOf(producer, seq)];
        b[b.length - 1] = (byte) seq;
        b[0] = (byte) (producer * 31 + seq);
        return b;
    }

    @Test
    void producersTimesConsumersDeliverEveryMessageOnceInPerProducerOrder() throws Exception {
        int producers = 3;
        int consumers = 2;
        int per = 200;
        try (ProcessQueue<Object[]> q = ctx.queue(64); ProcessQueue<long[]> results = ctx.queue()) {
            List<ChildProcess> children = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                children.add(ctx.process(() -> {
                    for (int i = 0; i < per; i++) {
                        try {
                            q.put(new Object[] {id, i, body(id, i)});
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            for (int c = 0; c < consumers; c++) {
                children.add(ctx.process(() -> {
                    try {
                        List<Long> seen = new ArrayList<>();
                        while (true) {
                            Object[] m = q.take();
                            int id = (Integer) m[0];
                            if (id < 0) {
                                break;
                            }
                            int seq = (Integer) m[1];
                            byte[] b = (byte[]) m[2];
                            if (b.length != sizeOf(id, seq) || b[0] != (byte) (id * 31 + seq)
                                    || (b.length > 1 && b[b.length - 1] != (byte) seq)) {
                                throw new IllegalStateException("torn message " + id + "/" + seq);
                            }
                            seen.add(((long) id << 32) | seq);
                        }
                        results.put(seen.stream().mapToLong(Long::longValue).toArray());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            children.forEach(ChildProcess::start);
            for (int p = 0; p < producers; p++) {
                assertThat(children.get(p).join(java.time.Duration.ofSeconds(90))).as(() -> children.stream()
                        .map(c -> c.pid() + " " + c.exitCode() + ": " + c.stderrTail()).toList().toString()).isTrue();
                assertThat(children.get(p).exitCode()).as(children.get(p).stderrTail()).hasValue(0);
            }
            for (int c = 0; c < consumers; c++) {
                q.put(new Object[] {-1, 0, null});
            }
            Map<Integer, Integer> counts = new HashMap<>();
            for (int c = 0; c < consumers; c++) {
                long[] seen = results.take();
                Map<Integer, Integer> last = new HashMap<>();
                for (long v : seen) {
                    int id = (int) (v >>> 32);
                    int seq = (int) v;
                    assertThat(seq).as("per-producer order").isGreaterThan(last.getOrDefault(id, -1));
                    last.put(id, seq);
                    counts.merge(id * per + seq, 1, Integer::sum);
                }
            }
            for (ChildProcess child : children) {
                child.join();
                assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            }
            assertThat(counts).hasSize(producers * per);
            assertThat(counts.values()).containsOnly(1);
            assertThat(q.isEmpty()).isTrue();
        }
    }

    @Test
    void aMessageOf64MiBGoesThroughAndPutReturnsBeforeItIsTaken() throws Exception {
        try (ProcessQueue<byte[]> q = ctx.queue()) {
            ChildProcess producer = ctx.process(() -> {
                byte[] big = new byte[64 << 20];
                big[big.length - 1] = 42;
                try {
                    q.put(big);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            assertThat(producer.join(java.time.Duration.ofSeconds(90))).isTrue(); // it ended before anyone took: the message is in shared memory, not in a feeder
            assertThat(producer.exitCode()).as(producer.stderrTail()).hasValue(0);
            byte[] got = q.take();
            assertThat(got).hasSize(64 << 20);
            assertThat(got[got.length - 1]).isEqualTo((byte) 42);
        }
    }

    @Test
    void joinWaitsForTaskDoneFromDaemonConsumers() throws Exception {
        try (JoinableQueue<Integer> jobs = ctx.joinableQueue(); ProcessQueue<Integer> done = ctx.queue()) {
            List<ChildProcess> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                consumers.add(ctx.process(() -> {
                    try {
                        while (true) {
                            Integer job = jobs.take();
                            done.put(job * 2);
                            jobs.taskDone();
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }).daemon(true).start());
            }
            for (int i = 1; i <= 200; i++) {
                jobs.put(i);
            }
            jobs.join();
            assertThat(done.size()).as("every task done before join returned").isEqualTo(200);
            long sum = 0;
            for (int i = 0; i < 200; i++) {
                sum += done.take();
            }
            assertThat(sum).isEqualTo(200 * 201);
            consumers.forEach(ChildProcess::kill);
            consumers.forEach(ChildProcess::join);
        }
        try (JoinableQueue<Integer> q = ctx.joinableQueue(1)) {
            q.put(1);
            q.take();
            q.taskDone();
            q.join();
            assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * Every 1,024th ring position is taken by poll's general path, and every 1,024th blocking take goes
     * by the waiting path even when its element is there (so that the JIT has seen both branches). A
     * child puts 10,000 ints; the parent takes them with take, poll(timeout), poll(0) and poll(), its
     * interrupt status set throughout (an element that is there is returned all the same): every one in
     * order, none lost or doubled, the status kept.
     */
    @Test
    void everyTakeAndPollAcrossThousandsOfPositionsReturnsEachElementInOrder() throws Exception {
        int count = 10_000;
        try (ProcessQueue<Integer> q = ctx.queue()) {
            ChildProcess producer = ctx.process(() -> {
                for (int i = 0; i < count; i++) {
                    try {
                        q.put(i);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).start();
            producer.join();
            assertThat(producer.exitCode()).hasValue(0);
            Thread.currentThread().interrupt();
            try {
                for (int i = 0; i < count; i++) {
                    Integer got = switch (i % 4) {
                        case 0 -> q.take();
                        case 1 -> q.poll(1, TimeUnit.MINUTES);
                        case 2 -> q.poll(0, TimeUnit.SECONDS);
                        default -> q.poll();
                    };
                    assertThat(got).as("element %d", i).isEqualTo(i);
                }
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt status, kept").isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(q.poll()).isNull();
            assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
        }
        try (ProcessQueue<Integer> q = ctx.queue(8)) {
            ChildProcess producer = ctx.process(() -> {
                for (int i = 0; i < count; i++) {
                    try {
                        q.put(i); // the parent's takes wait for most of these: empty, then not
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).start();
            for (int i = 0; i < count; i++) {
                assertThat(i % 2 == 0 ? q.take() : q.poll(1, TimeUnit.MINUTES)).as("element %d", i).isEqualTo(i);
            }
            producer.join();
            assertThat(producer.exitCode()).hasValue(0);
        }
    }

    /**
     * taskDone's compare-and-exchange starts from each process's guess of the done count; with four
     * threads in each of two processes the guesses are often wrong. Each task must still count once:
     * join returns, and one more taskDone is refused.
     */
    @Test
    void taskDoneFromManyThreadsInTwoProcessesCountsEachTaskOnce() throws Exception {
        int tasks = 20_000;
        try (JoinableQueue<Integer> jobs = ctx.joinableQueue(); ProcessQueue<String> errors = ctx.queue()) {
            List<ChildProcess> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                consumers.add(ctx.process(() -> {
                    List<Thread> threads = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        threads.add(Thread.ofPlatform().start(() -> {
                            try {
                                while (true) {
                                    jobs.take();
                                    jobs.taskDone();
                                }
                            } catch (InterruptedException e) {
                                // killed with the process
                            } catch (RuntimeException e) {
                                try {
                                    errors.put(e.toString());
                                } catch (InterruptedException ignored) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        }));
                    }
                    for (Thread t : threads) {
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }).daemon(true).start());
            }
            for (int i = 0; i < tasks; i++) {
                jobs.put(i);
            }
            jobs.join();
            assertThat(errors.poll()).as("a consumer thread's failure").isNull();
            assertThatThrownBy(jobs::taskDone).isInstanceOf(IllegalStateException.class);
            consumers.forEach(ChildProcess::kill);
            consumers.forEach(ChildProcess::join);
        }
    }

    @Test
    void aProducerKilledMidStressDoesNotWedgeTheQueue() throws Exception {
        int survivorCount = 3000;
        try (ProcessQueue<Object[]> q = ctx.queue(16)) {
            ChildProcess victim = ctx.process(() -> {
                for (int i = 0; ; i++) {
                    try {
                        q.put(new Object[] {0, i, new byte[(i % 8) * 20_000 + 1]});
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).start();
            ChildProcess survivor = ctx.process(() -> {
                try {
                    for (int i = 0; i < survivorCount; i++) {
                        q.put(new Object[] {1, i, new byte[i % 500 + 1]});
                    }
                    q.put(new Object[] {1, -1, null});
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            int victimLast = -1;
            int survivorNext = 0;
            boolean killed = false;
            boolean survivorDone = false;
            // Until both have happened: the victim killed mid-stream (once it has put 200), and the
            // survivor's end marker. Either may come first on a loaded machine.
            while (!(killed && survivorDone)) {
                Object[] m = q.take();
                int seq = (Integer) m[1];
                if ((Integer) m[0] == 0) {
                    assertThat(seq).isGreaterThan(victimLast);
                    victimLast = seq;
                    if (!killed && seq >= 200) {
                        victim.kill(); // while it is putting, with the queue full
                        killed = true;
                    }
                } else if (seq < 0) {
                    survivorDone = true;
                } else {
                    assertThat(seq).as("the survivor's messages, all, in order").isEqualTo(survivorNext++);
                }
            }
            assertThat(killed).isTrue();
            assertThat(survivorNext).isEqualTo(survivorCount);
            survivor.join();
            victim.join();
            assertThat(survivor.exitCode()).as(survivor.stderrTail()).hasValue(0);
            while (q.poll() != null) {
                // what the victim put before it died
            }
            q.put(new Object[] {2, 0, null});
            assertThat(q.take()[0]).as("the queue still works").isEqualTo(2);
        }
    }
}
