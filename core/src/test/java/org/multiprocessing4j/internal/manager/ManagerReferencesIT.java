package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.ProcessTestSupport;
import org.multiprocessing4j.internal.launch.CurrentProcess;

/**
 * A manager frees the objects no proxy refers to any more: proxies released by hand, proxies the
 * garbage collector found unreachable, the proxies of a process that ended or was killed; and it keeps
 * an object that another process, or the server itself, still refers to.
 */
class ManagerReferencesIT extends ProcessTestSupport {
    private static final int MANY = 10_000;

    private final Context ctx = Multiprocessing.local();
    private ManagerClient manager;
    private int baseline;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        manager = (ManagerClient) ctx.manager();
        baseline = manager.serverObjectCount();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    /** One object of each kind in turn, used once; the proxy is returned for the caller to drop. */
    private Object makeAndUse(int i) {
        switch (i % 5) {
            case 0 -> {
                ConcurrentMap<Integer, Integer> d = manager.dict();
                d.put(i, i);
                return d;
            }
            case 1 -> {
                List<Integer> l = manager.list();
                l.add(i);
                return l;
            }
            case 2 -> {
                Lock lock = manager.lock();
                lock.lock();
                lock.unlock();
                return lock;
            }
            case 3 -> {
                BlockingQueue<Integer> q = manager.queue();
                q.offer(i);
                return q;
            }
            default -> {
                ProcessSemaphore s = manager.semaphore(1);
                s.release();
                return s;
            }
        }
    }

    @Test
    void tenThousandObjectsReleasedByHandLeaveTheTableAsItWas() {
        for (int i = 0; i < MANY; i++) {
            manager.release(makeAndUse(i));
            if (i % 1000 == 999) {
                // the count is asked after the releases, on the same connection, in order
                assertThat(manager.serverObjectCount()).as("after %d objects", i + 1).isEqualTo(baseline);
            }
        }
        assertThat(manager.serverObjectCount()).isEqualTo(baseline);
    }

    @Test
    void tenThousandUnreachableProxiesAreFreedByTheGarbageCollector() {
        for (int i = 0; i < MANY; i++) {
            makeAndUse(i); // dropped at once
        }
        awaitCondition("every unreachable proxy's object freed", Duration.ofSeconds(60), () -> {
            System.gc();
            return manager.serverObjectCount() == baseline;
        });
    }

    @Test
    void aReleasedProxyRefusesCallsAndReleasingAgainDoesNothing() {
        ConcurrentMap<String, Integer> d = manager.dict();
        ProcessEvent e = manager.event();
        manager.register("list2", ArrayList::new, List.class);
        List<Integer> registered = manager.create("list2");
        registered.add(1);
        assertThat(manager.serverObjectCount()).isEqualTo(baseline + 3);
        manager.release(d);
        manager.release(d);
        e.close(); // a named primitive's close releases it
        manager.release(registered);
        assertThat(manager.serverObjectCount()).isEqualTo(baseline);
        assertThatThrownBy(() -> d.put("k", 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        assertThatThrownBy(registered::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        assertThatThrownBy(() -> manager.release("not a proxy")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A list stored in a dict is held by the server's own proxy: it outlives the client's. */
    @Test
    void anObjectStoredInAnotherLivesWhileItIsStored() {
        ConcurrentMap<String, List<Integer>> d = manager.dict();
        List<Integer> l = manager.list();
        l.add(7);
        d.put("l", l);
        manager.release(l);
        System.gc();
        assertThat(manager.serverObjectCount()).isEqualTo(baseline + 2);
        List<Integer> again = d.get("l");
        assertThat(again.get(0)).isEqualTo(7);
        manager.release(again);
        manager.release(d);
    }

    /**
     * The child holds a proxy of the dict; the parent releases its own and collects garbage: the dict
     * lives on for the child. Once the child has ended, its reference is gone with its connection.
     */
    @Test
    void anObjectStillReferencedFromAnotherProcessIsNotFreed() throws Exception {
        ConcurrentMap<String, Integer> d = manager.dict();
        d.put("x", 1);
        try (ProcessEvent ready = ctx.event(); ProcessEvent go = ctx.event()) {
            String report = dir.resolve("child").toString();
            ChildProcess child = ctx.process(() -> {
                ready.set();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                d.put("child", 2);
                write(report, "x=" + d.get("x"));
            });
            child.start();
            assertThat(ready.await(Duration.ofSeconds(60))).isTrue();
            manager.release(d);
            System.gc();
            assertThat(manager.serverObjectCount()).as("the child's proxy holds the dict").isEqualTo(baseline + 1);
            go.set();
            child.join();
            assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            assertThat(read(Path.of(report))).isEqualTo("x=1");
        }
        awaitCondition("the dict freed once its last holder ended", Duration.ofSeconds(30),
                () -> manager.serverObjectCount() == baseline);
    }

    /** A client killed by SIGKILL: the end of its reference connection frees what only it held. */
    @Test
    void theObjectsOfAKilledClientAreFreed() throws Exception {
        SocketAddress address = manager.address();
        try (ProcessEvent ready = ctx.event()) {
            ChildProcess client = ctx.process(() -> {
                Manager m = Manager.connect(address, CurrentProcess.authkey());
                List<Object> held = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    held.add(m.dict());
                }
                ready.set();
                sleep(Duration.ofMinutes(2));
                held.clear();
            }).start();
            assertThat(ready.await(Duration.ofSeconds(60))).isTrue();
            assertThat(manager.serverObjectCount()).isEqualTo(baseline + 100);
            client.kill();
            client.join();
        }
        awaitCondition("a killed client's objects freed", Duration.ofSeconds(30),
                () -> manager.serverObjectCount() == baseline);
    }
}
