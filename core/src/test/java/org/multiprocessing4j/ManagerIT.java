package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Managers between real processes: the server is a child JVM, its clients other children. */
class ManagerIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    /** A user type shared through a manager. */
    public interface Counter {
        int increment(int by);

        int value();

        long pid();

        void fail(String message);
    }

    public static final class CounterImpl implements Counter, Serializable {
        private int value;

        @Override
        public synchronized int increment(int by) {
            value += by;
            return value;
        }

        @Override
        public synchronized int value() {
            return value;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public void fail(String message) {
            throw new IllegalStateException(message);
        }
    }

    private static void joinAll(List<ChildProcess> children) {
        for (ChildProcess c : children) {
            c.join();
            assertThat(c.exitCode()).as(c + "\n" + c.stderrTail()).hasValue(0);
        }
    }

    @Test
    void manyProcessesUpdateOneDictAndOneList() {
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            List<Integer> l = manager.list();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                children.add(ctx.process(() -> {
                    for (int k = 0; k < 25; k++) {
                        d.merge("hits", 1, (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum);
                    }
                    d.put("child-" + n, n);
                    l.add(n);
                }).start());
            }
            joinAll(children);
            assertThat(d.get("hits")).isEqualTo(8 * 25);
            assertThat(d).hasSize(9);
            assertThat(l).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        }
    }

    @Test
    void theCountDownUnderTheManagersLockEndsAtZero() {
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            Lock lock = manager.lock();
            d.put("count", 20);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                children.add(ctx.process(() -> {
                    lock.lock();
                    try {
                        int count = d.get("count"); // read, then write: a race without the lock
                        d.put("count", count - 1);
                    } finally {
                        lock.unlock();
                    }
                }).start());
            }
            joinAll(children);
            assertThat(d.get("count")).isZero();
        }
    }

    @Test
    void locksBelongToTheirThreadAndRlocksReenter() throws Exception {
        try (Manager manager = ctx.manager()) {
            Lock rlock = manager.rlock();
            rlock.lock();
            assertThat(rlock.tryLock()).isTrue();
            Thread other = Thread.ofPlatform().start(() -> assertThat(rlock.tryLock()).isFalse());
            other.join();
            rlock.unlock();
            rlock.unlock();
            assertThatThrownBy(rlock::unlock).isInstanceOf(IllegalMonitorStateException.class);
            Lock lock = manager.lock();
            assertThat(lock.tryLock(1, TimeUnit.SECONDS)).isTrue();
            assertThat(lock.tryLock()).as("not reentrant").isFalse();
            lock.unlock();
            assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aProxyPassedToAChildReachesTheSameObjectAndNestedObjectsStayShared() {
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Object> d = manager.dict();
            List<String> inner = manager.list();
            d.put("inner", inner);
            Namespace ns = manager.namespace();
            ns.set("greeting", "hello");
            ChildProcess child = ctx.process(() -> {
                @SuppressWarnings("unchecked")
                List<String> fromDict = (List<String>) d.get("inner");
                fromDict.add(ns.get("greeting") + " from " + ProcessHandle.current().pid());
                ns.set("child", true);
            }).start();
            joinAll(List.of(child));
            assertThat(inner).containsExactly("hello from " + child.pid());
            assertThat(ns.<Boolean>get("child")).isTrue();
            assertThat(ns.toMap()).containsOnlyKeys("greeting", "child");
            assertThatThrownBy(() -> ns.get("missing")).isInstanceOf(java.util.NoSuchElementException.class)
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void registeredTypesRunOnTheServerAndTheirExceptionsCarryTheServersStack() {
        try (Manager manager = ctx.manager()) {
            manager.register("counter", CounterImpl::new, Counter.class);
            Counter counter = manager.create("counter");
            assertThat(counter.pid()).as("runs in the server process").isNotEqualTo(ProcessHandle.current().pid());
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                children.add(ctx.process(() -> counter.increment(10)).start());
            }
            joinAll(children);
            assertThat(counter.value()).isEqualTo(40);
            assertThatThrownBy(() -> counter.fail("boom")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("boom")
                    .satisfies(e -> assertThat(e.getStackTrace()).anyMatch(f -> f.getClassName().contains("CounterImpl"))
                            .anyMatch(f -> f.getClassName().equals(ManagerIT.class.getName())));
            assertThatThrownBy(() -> manager.create("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no type 'nope'");
            ConcurrentMap<String, Integer> d = manager.dict();
            assertThatThrownBy(() -> d.merge("a", 1, Integer::sum)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be Serializable");
            assertThat(d.put("still", 1)).as("the server keeps serving").isNull();
        }
    }

    @Test
    void semaphoresEventsAndValuesWorkAcrossProcesses() throws Exception {
        try (Manager manager = ctx.manager()) {
            ProcessEvent go = manager.event();
            ProcessSemaphore done = manager.semaphore(0);
            ManagedValue<Integer> total = manager.value(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                children.add(ctx.process(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    total.updateAndGet(v -> v + 1);
                    done.release();
                }).start());
            }
            assertThat(go.isSet()).isFalse();
            go.set();
            for (int i = 0; i < 3; i++) {
                assertThat(done.tryAcquire(Duration.ofSeconds(60))).isTrue();
            }
            joinAll(children);
            assertThat(total.get()).isEqualTo(3);
            assertThat(total.compareAndSet(2, 9)).isFalse();
            assertThat(total.compareAndSet(3, 9)).isTrue();
            assertThat(total.getAndSet(1)).isEqualTo(9);
            assertThat(done.availablePermits()).isZero();
            ProcessSemaphore bounded = manager.boundedSemaphore(1);
            assertThat(bounded.isBounded()).isTrue();
            assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> manager.semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
        }
    }

    @Test
    void aManagersSemaphoreTakesAndGivesSeveralPermitsAcrossProcesses() throws Exception {
        try (Manager manager = ctx.manager()) {
            ProcessSemaphore s = manager.semaphore(0);
            ChildProcess releaser = ctx.process(() -> s.release(3)).start();
            s.acquire(2);
            joinAll(List.of(releaser));
            assertThat(s.tryAcquire(2)).isFalse();
            assertThat(s.tryAcquire(2, Duration.ofMillis(10))).isFalse();
            s.acquireUninterruptibly();
            s.release(4);
            assertThat(s.drainPermits()).isEqualTo(4);
            assertThat(s.availablePermits()).isZero();
            assertThatThrownBy(() -> s.release(-1)).isInstanceOf(IllegalArgumentException.class);

            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> s.acquire(1)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("cleared, as the JDK's acquire does").isFalse();

            ProcessSemaphore bounded = manager.boundedSemaphore(2);
            bounded.acquire(2);
            assertThatThrownBy(() -> bounded.release(3)).isInstanceOf(IllegalStateException.class);
            assertThat(bounded.availablePermits()).isZero();
            bounded.release(2);
            assertThat(bounded.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void aClientKilledMidCallReleasesItsLockAndLeavesTheServerServing() throws Exception {
        try (Manager manager = ctx.manager()) {
            Lock lock = manager.lock();
            BlockingQueue<String> never = manager.queue();
            ConcurrentMap<String, Integer> d = manager.dict();
            String locked = dir.resolve("locked").toString();
            ChildProcess child = ctx.process(() -> {
                lock.lock();
                write(locked, "locked");
                try {
                    never.take(); // blocks on the server until killed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).start();
            awaitFile(Path.of(locked), Duration.ofSeconds(60));
            assertThat(lock.tryLock()).as("the child holds it").isFalse();
            child.kill();
            child.join();
            assertThat(lock.tryLock(60, TimeUnit.SECONDS)).as("released when the child died").isTrue();
            lock.unlock();
            d.put("after", 1);
            assertThat(d.get("after")).isEqualTo(1);
            never.put("x");
            assertThat(never.take()).isEqualTo("x");
        }
    }

    @Test
    void aKilledServerMakesEveryCallFailAtOnce() {
        Manager manager = ctx.manager();
        try {
            manager.register("counter", CounterImpl::new, Counter.class);
            Counter counter = manager.create("counter");
            ConcurrentMap<String, Integer> d = manager.dict();
            d.put("a", 1);
            long serverPid = counter.pid();
            ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();
            awaitCondition("the server's death", Duration.ofSeconds(30), () -> !isAlive(serverPid));
            assertThatThrownBy(() -> d.get("a")).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(counter::value).isInstanceOf(UncheckedIOException.class);
        } finally {
            manager.close();
        }
    }

    @Test
    void aWrongKeyIsRefusedAndTheServerKeepsServing() {
        try (Manager manager = ctx.manager()) {
            assertThatThrownBy(() -> Manager.connect(manager.address(), "wrong".getBytes()))
                    .isInstanceOf(AuthenticationException.class);
            try (Manager again = Manager.connect(manager.address(), org.multiprocessing4j.internal.launch.CurrentProcess.authkey())) {
                ConcurrentMap<String, Integer> d = again.dict();
                d.put("ok", 1);
                assertThat(d).containsEntry("ok", 1);
            }
        }
    }
}
