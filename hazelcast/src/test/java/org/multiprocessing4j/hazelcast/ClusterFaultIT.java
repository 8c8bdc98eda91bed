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
 * Faults on 3 real members: {@code kill -9} of a member during a {@code map} (its tasks fail with
 * {@link WorkerLostException} naming it, nothing hangs, the pool serves on), and of the member whose
 * child holds a lock (the next acquirer gets it, told by {@code isRecovered()}).
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

    @Test
    void killingAMemberLosesNoQueuedItemAndDeliversNoneTwice() throws Exception {
        org.multiprocessing4j.ProcessQueue<Integer> q = ctx.queue();
        for (int i = 0; i < 200; i++) {
            q.put(i);
        }
        int victim = -1;
        for (int i = cluster.members.size() - 1; i >= 0; i--) {
            if (cluster.members.get(i).isAlive()) {
                victim = i;
                break;
            }
        }
        int alive = (int) cluster.members.stream().filter(Process::isAlive).count();
        cluster.kill9(victim);
        cluster.awaitMembers(alive - 1);
        List<Integer> got = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            got.add(q.poll(60, TimeUnit.SECONDS));
        }
        assertThat(got).isEqualTo(IntStream.range(0, 200).boxed().toList());
        assertThat(q.poll()).isNull();
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
}
