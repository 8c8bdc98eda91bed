package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.queue.SharedQueue;

/** The {@link QueueContract} on the shared-memory queue, plus what only a process queue promises. */
class ProcessQueueIT extends QueueContract {
    private final Context ctx = Multiprocessing.local();

    @Override
    protected BlockingQueue<Integer> bounded(int capacity) {
        return track(ctx.queue(capacity));
    }

    @Override
    protected BlockingQueue<Integer> unbounded() {
        return track(ctx.queue());
    }

    @Test
    void toStringShowsAtMostAHundredElementsOfAHugeQueue() {
        BlockingQueue<Integer> q = unbounded();
        for (int i = 0; i < 10_000; i++) {
            q.add(i);
        }
        String text = q.toString();
        StringBuilder first = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            first.append(i == 0 ? "" : ", ").append(i);
        }
        assertThat(text).isEqualTo(first + ", ...]");
        assertThat(q).hasSize(10_000);
    }

    @Test
    void badArgumentsAreRefusedInTheCaller() {
        assertThatThrownBy(() -> ctx.queue(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> ctx.joinableQueue(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedQueueRefusesUse() {
        ProcessQueue<Integer> q = ctx.queue();
        q.close();
        assertThatThrownBy(() -> q.offer(1)).isInstanceOf(IllegalStateException.class);
        q.close(); // idempotent
    }

    @Test
    void theRingBoundsBytesBelowMaxsize() throws InterruptedException {
        try (SharedQueue<byte[]> q = SharedQueue.create(false, 1000, 64)) { // 4 KiB of ring
            int n = 0;
            while (q.offer(new byte[200])) {
                n++;
            }
            assertThat(n).isPositive().isLessThan(1000);
            assertThat(q.remainingCapacity()).isEqualTo(1000 - n);
            for (int i = 0; i < n; i++) {
                assertThat(q.take()).hasSize(200);
            }
            for (int lap = 0; lap < 50; lap++) { // wraps many times, records across the end
                q.put(new byte[lap * 7 % 300]);
                assertThat(q.take()).hasSize(lap * 7 % 300);
            }
            byte[] big = new byte[100_000]; // larger than the ring: its own segment
            big[99_999] = 7;
            q.put(big);
            assertThat(q.take()).isEqualTo(big);
        }
    }

    @Test
    void everyKindOfValueComesBackEqualInPlaceAcrossTheRingsEndAndInItsOwnSegment() throws InterruptedException {
        List<Object> values = List.of(7, -70_000, 5L, 2.5d, true, false, "", "queue — 漢字", new byte[] {1, 2},
                new byte[500], "x".repeat(300), List.of("serialized", 1), "y".repeat(5_000), new byte[9_000]);
        try (SharedQueue<Object> q = SharedQueue.create(false, 1000, 64)) { // 4 KiB of ring, a quarter inline
            for (int lap = 0; lap < 40; lap++) { // records of every length start at every slot, some wrap
                for (Object v : values) {
                    assertThat(q.offer(v)).isTrue();
                    assertThat(q.peek()).usingRecursiveComparison().isEqualTo(v);
                    assertThat(q.take()).usingRecursiveComparison().isEqualTo(v);
                }
                q.put(lap);
                q.put("lap " + lap);
                assertThat(q.size()).isEqualTo(2);
                assertThat(List.copyOf(q)).containsExactly(lap, "lap " + lap);
                assertThat(q.poll()).isEqualTo(lap);
                assertThat(q.poll()).isEqualTo("lap " + lap);
            }
            assertThat(q.isEmpty()).isTrue();
            for (Object v : values) {
                q.put(v);
            }
            List<Object> drained = new java.util.ArrayList<>();
            assertThat(q.drainTo(drained, 5)).isEqualTo(5);
            assertThat(q.drainTo(drained)).isEqualTo(values.size() - 5);
            assertThat(drained).usingRecursiveComparison().isEqualTo(values);
            assertThat(q.isEmpty()).isTrue();
        }
    }
}
