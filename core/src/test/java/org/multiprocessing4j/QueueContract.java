package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link BlockingQueue} promises, after the JSR-166 TCK's {@code BlockingQueueTest} and
 * {@code LinkedBlockingQueueTest}: run once per implementation. Blocking is checked by latches and
 * interrupts, never by timing.
 */
abstract class QueueContract extends ProcessTestSupport {
    static final int SIZE = 20;
    private final List<AutoCloseable> made = new ArrayList<>();

    /** A new empty queue of at most {@code capacity} elements. */
    protected abstract BlockingQueue<Integer> bounded(int capacity);

    /** A new empty unbounded queue. */
    protected abstract BlockingQueue<Integer> unbounded();

    protected <Q extends BlockingQueue<Integer>> Q track(Q q) {
        if (q instanceof AutoCloseable c) {
            made.add(c);
        }
        return q;
    }

    @AfterEach
    void closeQueues() throws Exception {
        for (AutoCloseable c : made) {
            c.close();
        }
    }

    private BlockingQueue<Integer> populated(int n) {
        BlockingQueue<Integer> q = bounded(n);
        for (int i = 0; i < n; i++) {
            assertThat(q.offer(i)).isTrue();
        }
        assertThat(q.isEmpty()).isFalse();
        assertThat(q.remainingCapacity()).isZero();
        assertThat(q.size()).isEqualTo(n);
        return q;
    }

    @Test
    void aNewQueueIsEmptyWithItsCapacityRemaining() {
        BlockingQueue<Integer> q = bounded(2);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.size()).isZero();
        assertThat(q.remainingCapacity()).isEqualTo(2);
        q.add(1);
        q.add(2);
        assertThat(q.isEmpty()).isFalse();
        assertThat(q.remainingCapacity()).isZero();
        assertThat(unbounded().remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void nullElementsAreRefused() throws InterruptedException {
        BlockingQueue<Integer> q = bounded(SIZE);
        assertThatThrownBy(() -> q.offer(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.add(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.offer(null, 1, TimeUnit.MILLISECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.addAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.drainTo(null)).isInstanceOf(NullPointerException.class);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void offerFailsAndAddThrowsWhenFull() {
        BlockingQueue<Integer> q = populated(SIZE);
        assertThat(q.offer(99)).isFalse();
        assertThatThrownBy(() -> q.add(99)).isInstanceOf(IllegalStateException.class);
        assertThat(q.size()).isEqualTo(SIZE);
    }

    @Test
    void elementsComeOutInFifoOrderByEveryMethod() throws InterruptedException {
        BlockingQueue<Integer> q = populated(SIZE);
        assertThat(q.peek()).isEqualTo(0);
        assertThat(q.element()).isEqualTo(0);
        assertThat(q.poll()).isEqualTo(0);
        assertThat(q.remove()).isEqualTo(1);
        assertThat(q.take()).isEqualTo(2);
        assertThat(q.poll(0, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(q.poll(1, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(q.remainingCapacity()).isEqualTo(5);
        for (int i = 5; i < SIZE; i++) {
            assertThat(q.poll()).isEqualTo(i);
        }
        assertThat(q.poll()).isNull();
        assertThat(q.peek()).isNull();
        assertThatThrownBy(q::element).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(q::remove).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void timedPollOnAnEmptyQueueReturnsNullAndTimedOfferOnAFullOneFalse() throws InterruptedException {
        assertThat(bounded(1).poll(20, TimeUnit.MILLISECONDS)).isNull();
        assertThat(bounded(1).poll(-1, TimeUnit.MILLISECONDS)).isNull();
        assertThat(populated(1).offer(7, 20, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void takeBlocksUntilAnotherThreadPuts() throws Exception {
        BlockingQueue<Integer> q = bounded(1);
        CountDownLatch taking = new CountDownLatch(1);
        List<Integer> got = new ArrayList<>();
        Thread t = new Thread(() -> {
            taking.countDown();
            try {
                got.add(q.take());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        taking.await();
        q.put(42);
        t.join();
        assertThat(got).containsExactly(42);
    }

    @Test
    void putBlocksWhenFullUntilATake() throws Exception {
        BlockingQueue<Integer> q = populated(2);
        CountDownLatch putting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            putting.countDown();
            try {
                q.put(99);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        putting.await();
        assertThat(q.take()).isEqualTo(0);
        t.join();
        assertThat(List.of(q.take(), q.take())).containsExactly(1, 99);
    }

    @Test
    void aBlockedTakeOrPutIsInterrupted() throws Exception {
        BlockingQueue<Integer> empty = bounded(1);
        BlockingQueue<Integer> full = populated(1);
        List<Throwable> thrown = new ArrayList<>();
        Thread taker = new Thread(() -> {
            try {
                empty.take();
            } catch (Throwable e) {
                synchronized (thrown) {
                    thrown.add(e);
                }
            }
        });
        Thread putter = new Thread(() -> {
            try {
                full.put(5);
            } catch (Throwable e) {
                synchronized (thrown) {
                    thrown.add(e);
                }
            }
        });
        taker.start();
        putter.start();
        taker.interrupt();
        putter.interrupt();
        taker.join();
        putter.join();
        assertThat(thrown).hasSize(2).allMatch(e -> e instanceof InterruptedException);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> empty.poll(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void drainToMovesEverythingOrAtMostN() {
        BlockingQueue<Integer> q = populated(SIZE);
        List<Integer> sink = new ArrayList<>();
        assertThat(q.drainTo(sink, 3)).isEqualTo(3);
        assertThat(sink).containsExactly(0, 1, 2);
        assertThat(q.drainTo(sink)).isEqualTo(SIZE - 3);
        assertThat(sink).hasSize(SIZE);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.drainTo(sink, 0)).isZero();
        assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIteratorIsASnapshotInOrder() {
        BlockingQueue<Integer> q = populated(SIZE);
        Iterator<Integer> it = q.iterator();
        assertThat(q.poll()).isEqualTo(0);
        List<Integer> seen = new ArrayList<>();
        it.forEachRemaining(seen::add);
        assertThat(seen).hasSize(SIZE).startsWith(0, 1, 2);
        assertThat(q.contains(5)).isTrue();
        assertThat(q.contains(0)).isFalse();
        assertThat(q.toArray()).hasSize(SIZE - 1);
        assertThat(q.toString()).isNotNull();
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.remainingCapacity()).isEqualTo(SIZE);
    }

    @Test
    void addAllAddsInOrderAndFailsWhenFull() {
        BlockingQueue<Integer> q = bounded(3);
        assertThat(q.addAll(List.of(1, 2))).isTrue();
        assertThatThrownBy(() -> q.addAll(List.of(3, 4))).isInstanceOf(IllegalStateException.class);
        assertThat(List.of(q.poll(), q.poll(), q.poll())).containsExactly(1, 2, 3);
    }

    @Test
    void manyThreadsPutAndTakeEveryElementExactlyOnce() throws Exception {
        BlockingQueue<Integer> q = bounded(8);
        int producers = 3;
        int per = 2000;
        List<Thread> threads = new ArrayList<>();
        int[] seen = new int[producers * per];
        for (int p = 0; p < producers; p++) {
            int base = p * per;
            threads.add(new Thread(() -> {
                for (int i = 0; i < per; i++) {
                    try {
                        q.put(base + i);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (int c = 0; c < 2; c++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < producers * per / 2; i++) {
                    try {
                        int v = q.take();
                        synchronized (seen) {
                            seen[v]++;
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).containsOnly(1);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void toStringShowsTheElementsHeadFirstAsAbstractQueueDoes() {
        BlockingQueue<Integer> q = bounded(SIZE);
        assertThat(q.toString()).isEqualTo("[]");
        q.add(1);
        q.add(2);
        q.add(3);
        assertThat(q.toString()).isEqualTo("[1, 2, 3]");
        q.poll();
        assertThat(q.toString()).isEqualTo("[2, 3]");
    }
}
