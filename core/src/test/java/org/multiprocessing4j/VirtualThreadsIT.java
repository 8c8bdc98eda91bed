package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every blocking call parks a virtual thread instead of pinning its carrier: {@link #N} virtual threads
 * (4 × the scheduler's parallelism, 2 in the build) wait, then the releasing call comes from another
 * virtual thread, here or in a child process; every waiter completes. Before, the first two waiters
 * held both carriers in a native {@code futex} call and nothing else ran.
 */
class VirtualThreadsIT extends ProcessTestSupport {
    static final int PARALLELISM = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors());
    static final int N = 4 * PARALLELISM;
    private static final Duration LONG = Duration.ofSeconds(60);
    private final Context ctx = Multiprocessing.local();

    interface Blocking {
        void await(int i) throws Exception;
    }

    /** N virtual threads in {@code waiter}; then {@code release} from a virtual thread here or in a child. */
    private void everyWaiterCompletes(Blocking waiter, SerializableRunnable release, boolean fromChild)
            throws Exception {
        CountDownLatch waiting = new CountDownLatch(N);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> waits = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                int id = i;
                waits.add(ex.submit(() -> {
                    waiting.countDown();
                    waiter.await(id);
                    return null;
                }));
            }
            assertThat(waiting.await(LONG.toSeconds(), TimeUnit.SECONDS))
                    .as("every waiter started: no carrier is held by a waiting thread").isTrue();
            if (fromChild) {
                ChildProcess child = ctx.process(onVirtualThread(release)).start();
                child.join();
                assertThat(child.exitCode()).hasValue(0);
            } else {
                ex.submit(release).get(LONG.toSeconds(), TimeUnit.SECONDS);
            }
            for (Future<?> w : waits) {
                w.get(LONG.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** {@code r} on a virtual thread of the child, its failure the child's. */
    static SerializableRunnable onVirtualThread(SerializableRunnable r) {
        return () -> {
            Throwable[] failed = new Throwable[1];
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    r.run();
                } catch (Throwable e) {
                    failed[0] = e;
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failed[0] != null) {
                throw new IllegalStateException(failed[0]);
            }
        };
    }

    static void uninterrupted(Blocking b) {
        try {
            b.await(0);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void queueTake(boolean fromChild) throws Exception {
        try (ProcessQueue<Integer> q = ctx.queue(10)) {
            everyWaiterCompletes(i -> q.take(), () -> uninterrupted(i -> {
                for (int k = 0; k < N; k++) {
                    q.put(k);
                }
            }), fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void queuePollWithTimeout(boolean fromChild) throws Exception {
        try (ProcessQueue<Integer> q = ctx.queue()) {
            everyWaiterCompletes(i -> assertThat(q.poll(60, TimeUnit.SECONDS)).isNotNull(),
                    () -> uninterrupted(i -> {
                        for (int k = 0; k < N; k++) {
                            q.put(k);
                        }
                    }), fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void queuePutWhenFull(boolean fromChild) throws Exception {
        try (ProcessQueue<Integer> q = ctx.queue(1)) {
            q.put(-1);
            everyWaiterCompletes(q::put, () -> uninterrupted(i -> {
                for (int k = 0; k <= N; k++) {
                    q.take();
                }
            }), fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void joinableQueueJoin(boolean fromChild) throws Exception {
        try (JoinableQueue<Integer> q = ctx.joinableQueue()) {
            q.put(1);
            everyWaiterCompletes(i -> q.join(), () -> uninterrupted(i -> {
                q.take();
                q.taskDone();
            }), fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void pipeRecvPollAndWaitAny(boolean fromChild) throws Exception {
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            pipes.add(ctx.pipe(false));
        }
        List<Connection> writers = pipes.stream().map(Pipe::second).toList();
        ArrayList<Connection> toChild = new ArrayList<>(writers);
        try {
            everyWaiterCompletes(i -> {
                Connection reader = pipes.get(i).first();
                switch (i % 3) {
                    case 0 -> assertThat(reader.recv()).isEqualTo(i);
                    case 1 -> assertThat(reader.poll(LONG)).isTrue();
                    default -> assertThat(Connection.waitAny(List.of(reader), LONG)).containsExactly(reader);
                }
            }, () -> {
                for (int k = 0; k < toChild.size(); k++) {
                    toChild.get(k).send(k);
                }
            }, fromChild);
        } finally {
            for (Pipe p : pipes) {
                p.first().close();
                p.second().close();
            }
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void semaphoreAcquire(boolean fromChild) throws Exception {
        try (ProcessSemaphore s = ctx.semaphore(0)) {
            everyWaiterCompletes(i -> s.acquire(), () -> {
                for (int k = 0; k < N; k++) {
                    s.release();
                }
            }, fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void eventAwait(boolean fromChild) throws Exception {
        try (ProcessEvent e = ctx.event()) {
            everyWaiterCompletes(i -> e.await(), e::set, fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void barrierAwait(boolean fromChild) throws Exception {
        try (ProcessBarrier b = ctx.barrier(N + 1)) {
            everyWaiterCompletes(i -> b.await(), () -> uninterrupted(i -> b.await()), fromChild);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false, true})
    void conditionAwait(boolean fromChild) throws Exception {
        try (ProcessLock lock = ctx.lock(); SharedLong go = ctx.sharedLong(0)) {
            Condition c = lock.newCondition();
            everyWaiterCompletes(i -> {
                lock.lock();
                try {
                    while (go.get() == 0) {
                        c.await();
                    }
                } finally {
                    lock.unlock();
                }
            }, () -> {
                lock.lock();
                try {
                    go.set(1);
                    c.signalAll();
                } finally {
                    lock.unlock();
                }
            }, fromChild);
        }
    }

    @ParameterizedTest(name = "held by a child: {0}")
    @ValueSource(booleans = {false, true})
    void lockAndSharedValueLock(boolean inChild) throws Exception {
        try (ProcessLock lock = ctx.lock(); SharedLong value = ctx.sharedLong(0);
                ProcessEvent held = ctx.event(); ProcessEvent go = ctx.event()) {
            SerializableRunnable holder = () -> uninterrupted(i -> {
                lock.lock();
                value.lock().lock();
                held.set();
                go.await();
                value.lock().unlock();
                lock.unlock();
            });
            ChildProcess child = null;
            Future<?> here = null;
            ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
            if (inChild) {
                child = ctx.process(onVirtualThread(holder)).start();
            } else {
                here = ex.submit(holder);
            }
            held.await();
            everyWaiterCompletes(i -> {
                ProcessLock l = i % 2 == 0 ? lock : value.lock();
                l.lock();
                try {
                    value.getAndIncrement();
                } finally {
                    l.unlock();
                }
            }, go::set, false);
            if (child != null) {
                child.join();
                assertThat(child.exitCode()).hasValue(0);
            } else {
                here.get(LONG.toSeconds(), TimeUnit.SECONDS);
            }
            ex.close();
            assertThat(value.get()).isEqualTo(N);
        }
    }

    @ParameterizedTest(name = "released from a child: {0}")
    @ValueSource(booleans = {false})
    void managerCalls(boolean fromChild) throws Exception {
        try (Manager m = ctx.manager()) {
            java.util.concurrent.BlockingQueue<Integer> q = m.queue();
            everyWaiterCompletes(i -> assertThat(q.poll(60, TimeUnit.SECONDS)).isNotNull(), () -> {
                for (int k = 0; k < N; k++) {
                    q.add(k);
                }
            }, fromChild);
        }
    }
    @org.junit.jupiter.api.Test
    void interruptsAndTimeoutsEndAVirtualThreadsWaitAsAPlatformThreads() throws Exception {
        try (ProcessQueue<Integer> q = ctx.queue(); ProcessSemaphore s = ctx.semaphore(0);
                ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(ex.submit(() -> q.poll(100, TimeUnit.MILLISECONDS)).get(LONG.toSeconds(), TimeUnit.SECONDS))
                    .isNull();
            assertThat(ex.submit(() -> s.tryAcquire(Duration.ofMillis(100))).get(LONG.toSeconds(), TimeUnit.SECONDS))
                    .isFalse();
            CountDownLatch taking = new CountDownLatch(1);
            Future<Object> take = ex.submit(() -> {
                taking.countDown();
                try {
                    q.take();
                    return "took";
                } catch (InterruptedException e) {
                    return e;
                }
            });
            taking.await();
            take.cancel(true); // interrupts the virtual thread in take()
            assertThat(take.state()).isEqualTo(Future.State.CANCELLED);
            ex.shutdown();
            assertThat(ex.awaitTermination(LONG.toSeconds(), TimeUnit.SECONDS)).as("take() ended on the interrupt")
                    .isTrue();
            assertThat(q.poll()).isNull();
        }
    }

    @org.junit.jupiter.api.Test
    void aVirtualThreadWaitingForALockWhoseHolderIsKilledGetsIt() throws Exception {
        try (ProcessLock lock = ctx.lock(); ProcessEvent held = ctx.event()) {
            ChildProcess holder = ctx.process(() -> {
                lock.lock();
                held.set();
                try {
                    Thread.sleep(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            held.await();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch waiting = new CountDownLatch(N);
                List<Future<Boolean>> waiters = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    waiters.add(ex.submit(() -> {
                        waiting.countDown();
                        lock.lock();
                        try {
                            return lock.isRecovered();
                        } finally {
                            lock.unlock();
                        }
                    }));
                }
                assertThat(waiting.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
                holder.kill();
                holder.join();
                long recovered = 0;
                for (Future<Boolean> w : waiters) {
                    recovered += w.get(LONG.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(recovered).as("exactly one waiter took the lock from the dead holder").isEqualTo(1);
            }
        }
    }

    /** Virtual threads on each side of {@link #tenThousandVirtualThreadsThroughOneQueueAcrossTwoProcesses}. */
    static final int EACH_SIDE = 5_000;
    /** A carrier pinned longer than this counts as pinned. */
    static final Duration PINNED = Duration.ofMillis(5);

    @org.junit.jupiter.api.Test
    void tenThousandVirtualThreadsThroughOneQueueAcrossTwoProcesses() throws Exception {
        try (ProcessQueue<Integer> q = ctx.queue(64)) {
            ChildProcess child = ctx.process(() -> {
                long pinned = putsAndTakes(q, 1);
                if (pinned > 0) {
                    throw new IllegalStateException(pinned + " carriers pinned longer than " + PINNED);
                }
            }).jvmOptions("-Djdk.virtualThreadScheduler.parallelism=" + PARALLELISM).start();
            long pinned = putsAndTakes(q, 0);
            child.join();
            assertThat(child.exitCode()).as("the child's virtual threads completed, none pinned").hasValue(0);
            assertThat(pinned).as("jdk.VirtualThreadPinned events longer than " + PINNED).isZero();
            assertThat(q.poll()).isNull();
        }
    }

    /**
     * {@link #EACH_SIDE} virtual threads, each a put then a take on {@code q}, while a JFR recording
     * counts the carriers pinned longer than {@link #PINNED}; returns that count.
     */
    static long putsAndTakes(ProcessQueue<Integer> q, int side) {
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(PINNED).withStackTrace();
            recording.start();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < EACH_SIDE; i++) {
                    int item = side * EACH_SIDE + i;
                    all.add(ex.submit(() -> {
                        q.put(item);
                        return q.take();
                    }));
                }
                for (Future<?> f : all) {
                    f.get(LONG.toSeconds(), TimeUnit.SECONDS);
                }
            }
            recording.stop();
            java.nio.file.Path file = java.nio.file.Files.createTempFile("mp4j-pinned", ".jfr");
            try {
                recording.dump(file);
                return jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                        .filter(e -> e.getDuration().compareTo(PINNED) > 0)
                        .peek(e -> System.err.println("pinned: " + e))
                        .count();
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
