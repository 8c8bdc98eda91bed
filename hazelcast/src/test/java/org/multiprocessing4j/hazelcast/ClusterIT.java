package org.multiprocessing4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ConcurrentMapContract;
import org.multiprocessing4j.ListContract;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.spi.SealedFrames;

/** The cluster context on 3 real member JVMs on loopback: every primitive across processes of members. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIT {
    private static ClusterMembers cluster;
    private static ClusterContext ctx;

    @BeforeAll
    static void startMembers() throws Exception {
        cluster = new ClusterMembers(3, 2);
        ctx = cluster.driver();
    }

    @AfterAll
    static void stopMembers() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** core's {@code ConcurrentMapContract} (its test-jar) on the manager's dict: an {@code IMap} of frames. */
    @Nested
    class OnAClusterDict extends ConcurrentMapContract {
        @Override
        protected ConcurrentMap<String, Integer> newMap() {
            return ctx.manager().dict();
        }
    }

    /** core's {@code ListContract} on the manager's list: an {@code IList} of frames. */
    @Nested
    class OnAClusterList extends ListContract {
        @Override
        protected List<String> newList() {
            return ctx.manager().list();
        }
    }

    @Test
    void poolTasksRunInChildJvmsOfEveryMember() {
        Set<Long> memberPids = new HashSet<>();
        cluster.members.forEach(p -> memberPids.add(p.pid()));
        try (ProcessPool pool = ctx.pool(3)) {
            List<Integer> squares = pool.map(x -> x * x, IntStream.range(0, 100).boxed().toList(), 7);
            assertThat(squares).isEqualTo(IntStream.range(0, 100).map(x -> x * x).boxed().toList());
            List<Long> parents = pool.map(x -> parentPid(), IntStream.range(0, 30).boxed().toList(), 1);
            assertThat(memberPids).containsAll(new HashSet<>(parents));
            assertThat(new HashSet<>(parents)).hasSize(3); // spread over the three members
            List<Long> workers = pool.map(x -> pid(), IntStream.range(0, 30).boxed().toList(), 1);
            assertThat(workers).doesNotContainAnyElementsOf(memberPids).doesNotContain(pid());
        }
    }

    /**
     * Tasks that capture nothing are encoded once per class by the driver and decoded once by a member:
     * each still runs as itself, in a worker, beside tasks that capture values.
     */
    @Test
    void tasksThatCaptureNothingEachRunAsThemselves() {
        try (ProcessPool pool = ctx.pool(3)) {
            for (int i = 0; i < 30; i++) {
                int k = i;
                assertThat(pool.apply(() -> "a")).isEqualTo("a");
                assertThat(pool.apply(() -> "b")).isEqualTo("b");
                assertThat(pool.apply(() -> k)).isEqualTo(i);
                assertThat(pool.apply(ClusterIT::pid)).isNotEqualTo(pid());
            }
        }
    }

    @Test
    void aTaskExceptionArrivesWithItsTypeAndTheExecutorContractHolds() throws Exception {
        try (ProcessPool pool = ctx.pool(2)) {
            var f = pool.submit((SerializableCallable<Object>) () -> {
                throw new IllegalStateException("failed on a member");
            });
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("failed on a member");
            assertThat(pool.invokeAll(List.<SerializableCallable<Integer>>of(() -> 1, () -> 2))).extracting(g -> g.get()).containsExactly(1, 2);
            assertThat(pool.apply(() -> "ok")).isEqualTo("ok");
            var it = pool.imap(x -> x + 1, List.of(1, 2, 3));
            assertThat(it.next()).isEqualTo(2);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Tasks that wait while their member has its calls under way go to it in one executor call once one
     * ends, and each ends on its own: a value, its exception, a cancellation. ({@code batchMillis} is
     * made long here so that the member's room does not depend on how fast this machine is.)
     */
    @Test
    void tasksWaitingForAMemberTravelInOneCallAndEachEndsOnItsOwn() throws Exception {
        String before = System.getProperty("mp4j.cluster.batchMillis");
        System.setProperty("mp4j.cluster.batchMillis", "600000");
        try (ProcessPool pool = ctx.pool(1)) {
            ClusterPool clusterPool = (ClusterPool) pool;
            assertThat(pool.apply(() -> 1)).isEqualTo(1); // the member's tasks' time is known: it has room for many
            ProcessEvent go = ctx.event();
            var held1 = pool.applyAsync(() -> go.await(Duration.ofSeconds(120)) ? "a" : "timed out");
            var held2 = pool.applyAsync(() -> go.await(Duration.ofSeconds(120)) ? "b" : "timed out");
            // Both of the member's calls (share + 1) are under way: these wait here.
            var value = pool.applyAsync(() -> List.of(pid(), 7L));
            var failing = pool.applyAsync((SerializableCallable<Object>) () -> {
                throw new IllegalStateException("one of a batch");
            });
            var cancelled = pool.applyAsync(() -> "never");
            var last = pool.applyAsync(() -> "last");
            assertThat(cancelled.cancel(true)).isTrue();
            long callsBefore = clusterPool.calls();
            go.set();
            assertThat(held1.get(120, TimeUnit.SECONDS)).isEqualTo("a");
            assertThat(held2.get(120, TimeUnit.SECONDS)).isEqualTo("b");
            List<Long> got = value.get(120, TimeUnit.SECONDS);
            assertThat(got.get(0)).isNotEqualTo(pid());
            assertThat(got.get(1)).isEqualTo(7L);
            assertThatThrownBy(() -> failing.get(120, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("one of a batch");
            assertThat(last.get(120, TimeUnit.SECONDS)).isEqualTo("last");
            assertThat(cancelled.isCancelled()).isTrue();
            assertThat(clusterPool.calls() - callsBefore).isEqualTo(1); // the three waiting went together
        } finally {
            if (before == null) {
                System.clearProperty("mp4j.cluster.batchMillis");
            } else {
                System.setProperty("mp4j.cluster.batchMillis", before);
            }
        }
    }

    @Test
    void aProcessRunsOnAMemberAndReportsItsExit() {
        ChildProcess ok = ctx.process(() -> System.out.println("hello from a member's child")).start();
        ok.join();
        assertThat(ok.exitCode()).hasValue(0);
        assertThat(ok.pid()).isNotEqualTo(pid());
        assertThat(ok.toString()).contains("on member 127.0.0.1:");

        ChildProcess exits = ctx.process(() -> System.exit(3)).start();
        assertThat(exits.join(Duration.ofSeconds(60))).isTrue();
        assertThat(exits.exitCode()).hasValue(3);

        ChildProcess sleeper = ctx.process(() -> {
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
        assertThat(sleeper.isAlive()).isTrue();
        sleeper.kill();
        sleeper.join();
        assertThat(sleeper.exitCode()).hasValue(-9);
    }

    @Test
    void aProcesssOutputStreamsBackPrefixedWithItsMember() throws Exception {
        PrintStream original = System.out;
        CountDownLatch seen = new CountDownLatch(1);
        StringBuilder lines = new StringBuilder();
        System.setOut(new PrintStream(new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                original.write(b);
                if (b != '\n') {
                    line.write(b);
                    return;
                }
                String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                line.reset();
                // (the test's own copy of the member's console starts "[member PORT]": not what the driver got)
                if (text.contains("streamed-from-a-child") && text.startsWith("[member 127.0.0.1:")) {
                    lines.append(text);
                    seen.countDown();
                }
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            ChildProcess p = ctx.process(() -> System.out.println("streamed-from-a-child")).start();
            p.join();
            assertThat(seen.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lines.toString()).startsWith("[member 127.0.0.1:").contains("pid " + p.pid() + "]");
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void aQueueCarriesObjectsBetweenTheDriverAndMembersChildren() throws Exception {
        ProcessQueue<String> q = ctx.queue(10);
        ChildProcess producer = ctx.process(() -> {
            for (int i = 0; i < 5; i++) {
                try {
                    q.put("item-" + i);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }).start();
        for (int i = 0; i < 5; i++) {
            assertThat(q.poll(60, TimeUnit.SECONDS)).isEqualTo("item-" + i);
        }
        producer.join();
        assertThat(producer.exitCode()).hasValue(0);
        assertThat(q.remainingCapacity()).isEqualTo(10);
        ProcessQueue<Integer> bounded = ctx.queue(2);
        assertThat(bounded.offer(1)).isTrue();
        assertThat(bounded.offer(2)).isTrue();
        assertThat(bounded.offer(3)).isFalse();
    }

    /**
     * A member's child that reached the cluster keeps its client while a thread of its own outlives the
     * target (that thread still reaches the cluster), and the child ends once that thread ends.
     */
    @Test
    void aChildsClientStaysWhileItsThreadsLiveAndLeavesWhenTheyEnd() throws Exception {
        ProcessQueue<String> q = ctx.queue();
        ProcessEvent go = ctx.event();
        ChildProcess child = ctx.process(() -> {
            Thread late = new Thread(() -> { // not a daemon: it keeps the JVM, and its client, alive
                try {
                    if (go.await(Duration.ofSeconds(120))) {
                        q.put("after the target");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            late.start();
            try {
                q.put("target returns");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).start();
        assertThat(q.poll(120, TimeUnit.SECONDS)).isEqualTo("target returns");
        assertThat(child.join(Duration.ofMillis(300))).as("ended while its thread waits").isFalse();
        go.set();
        assertThat(q.poll(120, TimeUnit.SECONDS)).isEqualTo("after the target");
        child.join();
        assertThat(child.exitCode()).hasValue(0);
    }

    @Test
    void aJoinableQueueCountsUnfinishedItemsClusterWide() throws Exception {
        JoinableQueue<Integer> q = ctx.joinableQueue();
        q.put(1);
        q.put(2);
        ChildProcess consumer = ctx.process(() -> {
            try {
                for (int i = 0; i < 2; i++) {
                    q.take();
                    q.taskDone();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).start();
        q.join();
        consumer.join();
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLockExcludesAMembersChildAndASharedLongCountsExactly() throws Exception {
        ProcessLock lock = ctx.lock();
        SharedLong seen = ctx.sharedLong(0);
        lock.lock();
        try {
            ChildProcess child = ctx.process(() -> seen.set(lock.tryLock() ? 1 : 2)).start();
            child.join();
            assertThat(seen.get()).isEqualTo(2);
        } finally {
            lock.unlock();
        }
        SharedLong counter = ctx.sharedLong(0);
        try (ProcessPool pool = ctx.pool(3)) {
            pool.map(x -> {
                for (int i = 0; i < 20; i++) {
                    counter.incrementAndGet();
                }
                return x;
            }, IntStream.range(0, 6).boxed().toList(), 1);
        }
        assertThat(counter.get()).isEqualTo(120);
    }

    @Test
    void aSemaphoreAndAnEventWorkAcrossMembers() throws Exception {
        ProcessSemaphore bounded = ctx.boundedSemaphore(1);
        assertThat(bounded.tryAcquire()).isTrue();
        assertThat(bounded.tryAcquire()).isFalse();
        bounded.release();
        assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class);
        ProcessEvent event = ctx.event();
        ChildProcess setter = ctx.process(event::set).start();
        assertThat(event.await(Duration.ofSeconds(60))).isTrue();
        setter.join();
    }

    @Test
    void aBarrierTripsForPartiesOnMembersAndItsActionRunsOnce() throws Exception {
        SharedLong actions = ctx.sharedLong(0);
        ProcessBarrier barrier = ctx.barrier(3, actions::incrementAndGet);
        List<ChildProcess> parties = List.of(ctx.process(() -> awaitQuietly(barrier)).start(),
                ctx.process(() -> awaitQuietly(barrier)).start());
        int index = barrier.await(Duration.ofSeconds(90));
        assertThat(index).isBetween(0, 2);
        for (ChildProcess p : parties) {
            p.join();
            assertThat(p.exitCode()).hasValue(0);
        }
        assertThat(actions.get()).isEqualTo(1);
        assertThat(barrier.isBroken()).isFalse();
        barrier.abort();
        assertThat(barrier.isBroken()).isTrue();
        assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
        barrier.reset();
        assertThat(barrier.isBroken()).isFalse();
        ProcessBarrier lonely = ctx.barrier(2);
        assertThatThrownBy(() -> lonely.await(Duration.ofMillis(200))).isInstanceOf(TimeoutException.class);
        assertThat(lonely.isBroken()).isTrue();
    }

    private static void awaitQuietly(ProcessBarrier barrier) {
        try {
            barrier.await(Duration.ofSeconds(90));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sharedArraysAreUpdatedAtomicallyByWorkersOnEveryMember() {
        SharedIntArray ints = ctx.sharedIntArray(3);
        SharedLongArray longs = ctx.sharedLongArray(3);
        SharedDoubleArray doubles = ctx.sharedDoubleArray(3);
        try (ProcessPool pool = ctx.pool(3)) {
            pool.map(i -> {
                for (int k = 0; k < 10; k++) {
                    ints.incrementAndGet(i % 3);
                    longs.addAndGet(i % 3, 2);
                    doubles.addAndGet(i % 3, 0.5);
                }
                return i;
            }, IntStream.range(0, 9).boxed().toList(), 1);
        }
        assertThat(ints.toArray()).containsExactly(30, 30, 30);
        assertThat(longs.toArray()).containsExactly(60, 60, 60);
        assertThat(doubles.toArray()).containsExactly(15.0, 15.0, 15.0);
        assertThatThrownBy(() -> ints.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        ints.set(0, Integer.MAX_VALUE);
        assertThat(ints.incrementAndGet(0)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void theManagersObjectsAreSharedWithMembersChildren() {
        Manager manager = ctx.manager();
        ConcurrentMap<String, Integer> dict = manager.dict();
        List<String> list = manager.list();
        Namespace ns = manager.namespace();
        ManagedValue<String> value = manager.value("before");
        ChildProcess child = ctx.process(() -> {
            dict.merge("count", 1, Integer::sum);
            list.add("from a member's child");
            ns.set("seen", true);
            value.set("after");
        }).start();
        child.join();
        assertThat(child.exitCode()).hasValue(0);
        dict.merge("count", 1, Integer::sum);
        assertThat(dict).containsEntry("count", 2);
        assertThat(list).containsExactly("from a member's child");
        assertThat(ns.<Boolean>get("seen")).isTrue();
        assertThat(value.get()).isEqualTo("after");
    }

    @Test
    void aPipeCarriesObjectsAndBytesBothWaysAndEndsWithEof() {
        Pipe pipe = ctx.pipe(true);
        Connection child = pipe.second();
        ChildProcess echo = ctx.process(() -> {
            Object o = child.recv();
            child.send("echo " + o);
            child.sendBytes(new byte[] {1, 2, 3});
            child.close();
        }).start();
        pipe.first().send("hello");
        assertThat(pipe.first().recv()).isEqualTo("echo hello");
        assertThat(pipe.first().recvBytes()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> pipe.first().recv()).isInstanceOf(java.io.UncheckedIOException.class)
                .cause().isInstanceOf(java.io.EOFException.class);
        echo.join();
        assertThat(echo.exitCode()).hasValue(0);
        Pipe oneWay = ctx.pipe(false);
        assertThat(oneWay.first().poll(Duration.ZERO)).isFalse();
        assertThatThrownBy(() -> oneWay.first().send("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sharedMemoryHasNoClusterMeaning() {
        assertThatThrownBy(() -> ctx.sharedMemory("x", 10)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("sharedLongArray");
    }

    @Test
    void aFrameWithoutTheAuthkeyIsRefusedAndTheMemberServesOn() throws Exception {
        var executor = ctx.node().hz.getExecutorService(HazelcastConfigs.EXECUTOR);
        var member = ctx.node().hz.getCluster().getMembers().iterator().next();
        byte[] forged = SealedFrames.seal(SealedFrames.newKey(), new Commands.Ping());
        var refused = executor.submitToMember(new SealedCall(forged), member);
        assertThatThrownBy(() -> refused.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("authkey");
        Object pid = ctx.remote().call(member, new Commands.Ping()).get(60, TimeUnit.SECONDS);
        assertThat(pid).isIn(cluster.members.stream().map(Process::pid).toList());
    }

    @Test
    void aClientWithAnotherClusterNameIsNotAdmitted() {
        var config = HazelcastConfigs.client("not-" + cluster.clusterName, cluster.addresses);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3_000);
        assertThatThrownBy(() -> {
            HazelcastInstance stranger = HazelcastClient.newHazelcastClient(config);
            stranger.shutdown();
        }).isInstanceOf(IllegalStateException.class);
    }

    /**
     * {@code mp4j cluster status}'s report: every member with its pid, the worker processes of a pool
     * that runs (their pids, under the driver that owns them), and a queue with its size; with a wrong
     * key the members tell nothing about their processes.
     */
    @Test
    void theStatusListsMembersTheirWorkerProcessesAndQueues() throws Exception {
        ProcessQueue<Integer> q = ctx.queue();
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        try (ProcessPool pool = ctx.pool(3)) {
            List<Long> workers = pool.map(x -> pid(), IntStream.range(0, 30).boxed().toList(), 1);
            var bytes = new java.io.ByteArrayOutputStream();
            ClusterStatus.print(cluster.clusterName, cluster.addresses, cluster.keyFile,
                    new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            String status = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
            System.out.println(status);
            assertThat(status).contains("cluster " + cluster.clusterName + ": 3 member(s)");
            for (int i = 0; i < 3; i++) {
                assertThat(status).containsPattern(java.util.regex.Pattern.quote(cluster.addresses.get(i)) + " +"
                        + cluster.members.get(i).pid() + " +2 ");
            }
            for (long w : new HashSet<>(workers)) {
                assertThat(status).containsPattern("of driver " + ctx.owner() + ": 1 worker\\(s\\), pids .*\\b" + w + "\\b");
            }
            assertThat(status).containsPattern("queue\\.\\S+ +5");

            java.nio.file.Path wrongKey = java.nio.file.Files.createTempFile("mp4j-wrong", ".key");
            java.nio.file.Files.writeString(wrongKey, "not the cluster's key, 16+ bytes");
            bytes.reset();
            ClusterStatus.print(cluster.clusterName, cluster.addresses, wrongKey,
                    new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("did not answer")
                    .contains("authkey").doesNotContain("worker(s), pids");
            java.nio.file.Files.delete(wrongKey);
        }
    }

    /**
     * {@code manager().register/create}: the object's methods run on a member (its pid is a member's),
     * calls from children of every member change one state, exceptions arrive with their type, an
     * unknown type is refused, and the proxy travels to children as an argument.
     */
    @Test
    void registeredObjectsLiveInTheClusterAndTheirMethodsRunOnAMember() {
        Manager manager = ctx.manager();
        manager.register("counter", Counter.Impl::new, Counter.class);
        Counter counter = manager.create("counter");
        assertThat(counter.pid()).as("runs on a member").isIn(cluster.members.stream().map(Process::pid).toList());
        List<ChildProcess> children = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(ctx.process(() -> counter.increment(10)).start());
        }
        for (ChildProcess c : children) {
            c.join();
            assertThat(c.exitCode()).hasValue(0);
        }
        assertThat(counter.value()).isEqualTo(30);
        assertThat(counter.increment(1)).isEqualTo(31);
        assertThatThrownBy(() -> counter.fail("boom")).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(counter.value()).as("the object serves on").isEqualTo(31);
        Counter other = manager.create("counter");
        assertThat(other.value()).isZero();
        assertThat(other).isNotEqualTo(counter).isEqualTo(other);
        assertThatThrownBy(() -> manager.create("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no type 'nope'");

        // A call in a frame without the cluster's key runs nothing: the member refuses it before it
        // deserializes a byte of it, and the object is untouched.
        byte[] forged = SealedFrames.seal(SealedFrames.newKey(), new ClusterObjects.Invocation(Counter.class.getName(),
                "increment", new String[] {"int"}, new Object[] {1000}));
        com.hazelcast.map.IMap<String, byte[]> objects = ctx.node().hz.getMap(ClusterObjects.OBJECTS);
        assertThatThrownBy(() -> objects.executeOnKey(ClusterObjects.idOf(counter), new ClusterObjects.Invoke(forged)))
                .hasMessageContaining("authkey");
        assertThat(counter.value()).isEqualTo(31);
    }
}
