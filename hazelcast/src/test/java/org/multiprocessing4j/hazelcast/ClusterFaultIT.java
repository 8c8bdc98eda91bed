package org.multiprocessing4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.WorkerLostException;

/**
 * Faults on 4 real members: {@code kill -9} of a member during a {@code map} (its tasks fail with
 * {@link WorkerLostException} naming it, nothing hangs, the pool serves on), and of the member whose
 * child holds a lock (the next acquirer gets it, told by {@code isRecovered()}); a member killed with a
 * filled queue; the driver's connection to a live member dropped mid-task (not a lost member: the task's
 * answer arrives); {@code kill -9} of a driver JVM (its workers freed, its lock handed on).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFaultIT {
    private static ClusterMembers cluster;
    private static ClusterContext ctx;

    @BeforeAll
    static void startMembers() throws Exception {
        cluster = new ClusterMembers(4, 1); // each test kills one
        ctx = cluster.driver();
    }

    @AfterAll
    static void stopMembers() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** Blocks in a worker until {@code release} exists, after writing its member's pid into {@code started}. */
    private static int park(int x, String started, String release) {
        try {
            ProcessTestFiles.write(Path.of(started + "-" + x), Long.toString(parentPid()));
            while (!Files.exists(Path.of(release))) {
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return x;
    }

    @Test
    void killingAMemberDuringAMapFailsItsTasksNamingItAndThePoolServesOn(@TempDir Path dir) throws Exception {
        String started = dir.resolve("started").toString();
        String release = dir.resolve("release").toString();
        try (ProcessPool pool = ctx.pool(3)) {
            CompletableFuture<List<Integer>> all = pool.mapAsync(x -> park(x, started, release),
                    IntStream.range(0, 3).boxed().toList(), 1);
            for (int i = 0; i < 3; i++) {
                ProcessTestFiles.await(Path.of(started + "-" + i));
            }
            // The member that runs task 0 (each task wrote its member's pid).
            long memberPid = Long.parseLong(Files.readString(Path.of(started + "-0")).trim());
            int victimIndex = -1;
            for (int i = 0; i < cluster.members.size(); i++) {
                if (cluster.members.get(i).pid() == memberPid) {
                    victimIndex = i;
                }
            }
            assertThat(victimIndex).as("the member of task 0").isNotNegative();
            Process victim = cluster.members.get(victimIndex);
            int alive = (int) cluster.members.stream().filter(Process::isAlive).count();
            cluster.kill9(victimIndex);
            assertThatThrownBy(() -> all.get(120, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(WorkerLostException.class)
                    .hasMessageContaining("member 127.0.0.1:")
                    .hasMessageContaining("pid " + victim.pid());
            Files.writeString(Path.of(release), "go");
            cluster.awaitMembers(alive - 1);
            assertThat(pool.map(x -> x * 2, List.of(1, 2, 3, 4), 1)).containsExactly(2, 4, 6, 8);
        }
    }

    /**
     * A filled queue and a registered object ({@code manager().create}) whose partition's owner is then
     * killed: every element is taken once, none twice, and the object keeps every change made to it.
     */
    @Test
    void killingAMemberLosesNoQueuedItemNorObjectStateAndDeliversNoneTwice() throws Exception {
        org.multiprocessing4j.ProcessQueue<Integer> q = ctx.queue();
        for (int i = 0; i < 200; i++) {
            q.put(i);
        }
        var manager = ctx.manager();
        manager.register("counter", Counter.Impl::new, Counter.class);
        Counter counter = manager.create("counter");
        for (int i = 0; i < 5; i++) {
            counter.increment(1);
        }
        var owner = ctx.node().hz.getPartitionService().getPartition(ClusterObjects.idOf(counter)).getOwner();
        int victim = -1;
        for (int i = 0; i < cluster.members.size(); i++) {
            if (cluster.members.get(i).pid() == Remote.pid(owner)) {
                victim = i;
            }
        }
        assertThat(victim).as("the object's owner").isNotNegative();
        int alive = (int) cluster.members.stream().filter(Process::isAlive).count();
        cluster.kill9(victim);
        cluster.awaitMembers(alive - 1);
        List<Integer> got = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            got.add(q.poll(60, TimeUnit.SECONDS));
        }
        assertThat(got).isEqualTo(IntStream.range(0, 200).boxed().toList());
        assertThat(q.poll()).isNull();
        assertThat(counter.value()).isEqualTo(5);
        assertThat(counter.increment(1)).isEqualTo(6);
    }

    @Test
    void killingTheMemberOfALockHolderHandsTheLockToTheNextAcquirerTold(@TempDir Path dir) throws Exception {
        ProcessLock lock = ctx.lock();
        String held = dir.resolve("held").toString();
        var holder = ctx.process(() -> {
            lock.lock();
            try {
                ProcessTestFiles.write(Path.of(held), Long.toString(parentPid()));
                Thread.sleep(600_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).start();
        ProcessTestFiles.await(Path.of(held));
        long memberPid = Long.parseLong(Files.readString(Path.of(held)).trim());
        int index = -1;
        for (int i = 0; i < cluster.members.size(); i++) {
            if (cluster.members.get(i).pid() == memberPid) {
                index = i;
            }
        }
        assertThat(index).as("the holder's member").isNotNegative();
        assertThat(lock.tryLock()).isFalse();
        cluster.kill9(index);
        assertThat(lock.tryLock(120, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(lock.isRecovered()).isTrue();
        } finally {
            lock.unlock();
        }
        holder.join();
        assertThat(holder.exitCode()).hasValue(Remote.MEMBER_LOST);
    }

    private static com.hazelcast.cluster.Member memberWithPid(long pid) {
        for (com.hazelcast.cluster.Member m : ctx.node().hz.getCluster().getMembers()) {
            if (Remote.pid(m) == pid) {
                return m;
            }
        }
        throw new AssertionError("no member with pid " + pid + " in " + ctx.node().hz.getCluster().getMembers());
    }

    /**
     * The driver's connection to the member running a task is closed under it (what a client heartbeat
     * missed under load does): the member is still a member, so the task is not lost; the member judges
     * the driver still connected (to the others) and keeps its pool; the task's answer arrives over the
     * client's new connection, and the pool serves on.
     */
    @Test
    void aDroppedConnectionToALiveMemberIsNoLostMemberAndTheAnswerArrives(@TempDir Path dir) throws Exception {
        String started = dir.resolve("started").toString();
        String release = dir.resolve("release").toString();
        int alive = (int) cluster.members.stream().filter(Process::isAlive).count();
        try (ProcessPool pool = ctx.pool(alive)) {
            CompletableFuture<Integer> task = pool.applyAsync(() -> park(7, started, release));
            ProcessTestFiles.await(Path.of(started + "-7"));
            var member = memberWithPid(Long.parseLong(Files.readString(Path.of(started + "-7")).trim()));
            long resendsBefore = ctx.remote().resends();
            var client = ((com.hazelcast.client.impl.clientside.HazelcastClientProxy) ctx.node().hz).client;
            var connection = client.getConnectionManager().getActiveConnection(member.getUuid());
            assertThat(connection).as("the driver's connection to " + member).isNotNull();
            connection.close("ClusterFaultIT drops the connection to a live member", null);
            awaitTrue("the dropped call is sent again", () -> ctx.remote().resends() > resendsBefore);
            int index = -1;
            for (int i = 0; i < cluster.members.size(); i++) {
                if (cluster.members.get(i).pid() == Remote.pid(member)) {
                    index = i;
                }
            }
            // The member judged the driver alive (a grace period after the connection closed), so the
            // driver's pool there, and the worker running the task, were kept.
            cluster.awaitOutput(index, "client " + ctx.owner() + " lost a connection but is still connected");
            Files.writeString(Path.of(release), "go");
            assertThat(task.get(120, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(ctx.node().hz.getCluster().getMembers()).contains(member);
            assertThat(pool.map(x -> x * 2, List.of(1, 2, 3), 1)).containsExactly(2, 4, 6);
        }
    }

    /**
     * {@code kill -9} of a driver, a child JVM of this test: the members free its workers (the tasks it
     * left running end with them), and the lock it held goes to the next acquirer, told by
     * {@code isRecovered()}.
     */
    @Test
    void killingTheDriverFreesItsWorkersAndHandsItsLockOn(@TempDir Path dir) throws Exception {
        ProcessLock lock = ctx.lock();
        try (var out = new java.io.ObjectOutputStream(Files.newOutputStream(dir.resolve("lock.ser")))) {
            out.writeObject(lock);
        }
        int n = (int) cluster.members.stream().filter(Process::isAlive).count();
        List<String> command = ClusterMembers.java(KilledDriver.class.getName());
        command.addAll(List.of(cluster.clusterName, String.join(",", cluster.addresses), cluster.keyFile.toString(),
                dir.toString(), Integer.toString(n)));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile()).start();
        try {
            ProcessTestFiles.await(dir.resolve("ready"));
            List<ProcessHandle> workers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path file = dir.resolve("worker-" + i);
                ProcessTestFiles.await(file);
                long pid = Long.parseLong(Files.readString(file).trim());
                workers.add(ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("worker " + pid + " is not running")));
            }
            assertThat(lock.tryLock()).as("the driver holds the lock").isFalse();
            driver.destroyForcibly();
            driver.waitFor();
            for (ProcessHandle w : workers) {
                w.onExit().get(120, TimeUnit.SECONDS);
            }
            assertThat(lock.tryLock(120, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(lock.isRecovered()).isTrue();
            } finally {
                lock.unlock();
            }
            try (ProcessPool pool = ctx.pool(n)) { // every member's worker is free for the next driver
                assertThat(pool.map(x -> x + 1, List.of(1, 2, 3), 1)).containsExactly(2, 3, 4);
            }
        } catch (Throwable t) {
            System.out.println("driver's output:\n" + (Files.exists(dir.resolve("driver.log"))
                    ? Files.readString(dir.resolve("driver.log")) : "(none)"));
            throw t;
        } finally {
            driver.destroyForcibly();
            driver.waitFor();
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 120 s");
            }
            Thread.sleep(20);
        }
    }
}
