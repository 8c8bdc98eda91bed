package org.multiprocessing4j.hazelcast;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.hazelcast.Commands.AwaitExit;
import org.multiprocessing4j.hazelcast.Commands.ClosePool;
import org.multiprocessing4j.hazelcast.Commands.Exit;
import org.multiprocessing4j.hazelcast.Commands.Outcome;
import org.multiprocessing4j.hazelcast.Commands.Ping;
import org.multiprocessing4j.hazelcast.Commands.PoolSpec;
import org.multiprocessing4j.hazelcast.Commands.PoolTasks;
import org.multiprocessing4j.hazelcast.Commands.Signal;
import org.multiprocessing4j.hazelcast.Commands.StartProcess;
import org.multiprocessing4j.spi.SealedFrames;

/**
 * What a member does for drivers: runs their pool tasks in local {@link ProcessPool}s (one per driver
 * pool, with this member's share of the workers) and their processes in local child JVMs, so that a
 * task that exits or runs out of memory ends a worker JVM, never the member. Everything a driver owns
 * here ends when the driver leaves the cluster.
 */
final class MemberRuntime {
    private static volatile MemberRuntime current;

    private final ClusterNode node;
    private final Path keyFile;
    private final Map<String, ProcessPool> pools = new ConcurrentHashMap<>();
    private final Map<String, String> poolOwners = new ConcurrentHashMap<>();
    private final Map<String, ChildProcess> processes = new ConcurrentHashMap<>();
    private final Map<String, Future<Object>> runningTasks = new ConcurrentHashMap<>();
    /** Cancellations that arrived before their task (bounded: cleared with their pool). */
    private final Map<String, String> cancelledTasks = new ConcurrentHashMap<>();
    private final Map<String, String> processOwners = new ConcurrentHashMap<>();
    /** Tasks that capture nothing, decoded once by their bytes ({@link #task}); at most {@link #STATELESS_KEPT}. */
    private final Map<TaskBytes, Callable<Object>> statelessTasks = new ConcurrentHashMap<>();
    private static final int STATELESS_KEPT = 256;
    /**
     * Answers by call origin and id ({@link Commands.Envelope}), kept until the driver says it has them
     * or leaves, or for {@link #KEEP_ANSWERS_NANOS} after it was given (an answer whose acknowledgement
     * never comes: a call cancelled before it arrived): a call sent again after its connection dropped
     * gets its first run's answer.
     */
    private final Map<String, Map<Long, Kept>> answers = new ConcurrentHashMap<>();
    private static final long KEEP_ANSWERS_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** A call's answer, and when it was given (0 while the call runs). */
    private static final class Kept {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        volatile long givenAt;
    }
    /** Clients whose connection to this member closed, being checked (one check each at a time). */
    private final Set<UUID> checking = ConcurrentHashMap.newKeySet();
    /** Clients that closed another connection while being checked: checked again after. */
    private final Set<UUID> recheck = ConcurrentHashMap.newKeySet();

    private MemberRuntime(ClusterNode node, Path keyFile) {
        this.node = node;
        this.keyFile = keyFile;
    }

    static MemberRuntime start(ClusterNode node, Path keyFile) {
        MemberRuntime runtime = new MemberRuntime(node, keyFile);
        current = runtime;
        ClusterNode.register(node);
        Thread.ofPlatform().daemon().name("mp4j-member-answers").start(() -> {
            try {
                while (node.hz.getLifecycleService().isRunning()) {
                    Thread.sleep(60_000);
                    runtime.forgetOldAnswers();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        node.hz.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {}

            @Override
            public void clientDisconnected(Client client) {
                runtime.clientDisconnected(client.getUuid());
            }
        });
        return runtime;
    }

    static MemberRuntime get() {
        MemberRuntime r = current;
        if (r == null) {
            throw new IllegalStateException("not an mp4j member");
        }
        return r;
    }

    ClusterNode node() {
        return node;
    }

    HazelcastInstance hz() {
        return node.hz;
    }

    /** Checks the frame, runs its command, seals the answer. A frame without the right MAC runs nothing. */
    byte[] handle(byte[] frame) {
        Object command;
        try {
            command = CallCodec.command(node.openBytes(frame));
        } catch (AuthenticationException e) {
            System.err.println("mp4j worker: refused a task whose frame is not under the cluster's authkey");
            throw new AuthenticationException("refused: the task's frame is not under this cluster's authkey");
        }
        if (!(command instanceof Commands.Envelope e)) {
            return answer(command);
        }
        Map<Long, Kept> mine = answers.computeIfAbsent(e.origin(), o -> new ConcurrentHashMap<>());
        for (long id : e.answered()) {
            mine.remove(id);
        }
        Kept kept = new Kept();
        Kept first = mine.putIfAbsent(e.id(), kept);
        if (first != null) { // sent again: its connection dropped while it ran here
            try {
                return first.answer.get();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return node.seal(new Outcome(null, ie));
            } catch (ExecutionException ee) {
                return node.seal(new Outcome(null, ee.getCause()));
            }
        }
        try {
            byte[] a = answer(e.command());
            kept.answer.complete(a);
            return a;
        } catch (Throwable t) {
            kept.answer.completeExceptionally(t);
            throw t;
        } finally {
            kept.givenAt = System.nanoTime();
        }
    }

    /** Drops the answers given longer ago than {@link #KEEP_ANSWERS_NANOS} and never acknowledged. */
    private void forgetOldAnswers() {
        long now = System.nanoTime();
        // An origin's map stays (a call may be arriving for it); it goes when its driver is gone.
        answers.values().forEach(mine -> mine.values().removeIf(k -> k.givenAt != 0 && now - k.givenAt > KEEP_ANSWERS_NANOS));
    }

    /** Runs {@code command}, seals its outcome. */
    private byte[] answer(Object command) {
        Outcome outcome;
        try {
            outcome = new Outcome(run(command), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(null, e);
        } catch (ExecutionException e) {
            outcome = new Outcome(null, e.getCause());
        } catch (Throwable e) {
            outcome = new Outcome(null, e);
        }
        if (command instanceof PoolTasks && outcome.error() == null) {
            @SuppressWarnings("unchecked")
            List<Outcome> outcomes = (List<Outcome>) outcome.value();
            return node.sealBytes(CallCodec.outcomes(outcomes)); // a task whose outcome cannot be sent fails alone
        }
        try {
            return node.seal(outcome);
        } catch (IllegalArgumentException e) { // a result or exception that cannot be serialized
            return node.seal(new Outcome(null, CallCodec.unsendable(outcome, e)));
        }
    }

    private Object run(Object command) throws Exception {
        return switch (command) {
            case PoolTasks t -> runTasks(t);
            case ClosePool c -> {
                ProcessPool pool = pools.remove(c.pool());
                poolOwners.remove(c.pool());
                cancelledTasks.values().removeIf(c.pool()::equals);
                if (pool != null) {
                    if (c.now()) {
                        pool.shutdownNow();
                    } else {
                        pool.close();
                    }
                }
                yield Boolean.TRUE;
            }
            case StartProcess s -> startProcess(s);
            case Commands.CancelTask c -> {
                Future<Object> f = runningTasks.get(c.taskId());
                if (f != null) {
                    f.cancel(true);
                } else {
                    cancelledTasks.put(c.taskId(), c.pool());
                }
                yield Boolean.TRUE;
            }
            case Commands.WorkerPids w -> {
                ProcessPool pool = pools.get(w.pool());
                yield pool == null ? new java.util.ArrayList<Long>() : new java.util.ArrayList<>(pool.workerPids());
            }
            case AwaitExit a -> awaitExit(a.id());
            case Signal s -> {
                ChildProcess p = processes.get(s.id());
                if (p != null && p.isAlive()) {
                    if (s.kill()) {
                        p.kill();
                    } else {
                        p.terminate();
                    }
                }
                yield Boolean.TRUE;
            }
            case Ping p -> ProcessHandle.current().pid();
            case Commands.ClientConnected c -> connectedHere(c.uuid());
            case Commands.Status s -> status();
            default -> throw new IllegalArgumentException("unknown command " + command.getClass().getName());
        };
    }

    /**
     * Runs a driver's tasks in its local pool: all are submitted at once (the pool's workers take them
     * as they are free), and the answer is one {@link Outcome} per task, in order, once all have ended.
     * A task cancelled by the driver ({@link Commands.CancelTask}, before or after it arrived) ends as
     * cancelled; the others run on. An interrupt of this thread (the driver gave up the whole call)
     * cancels them all.
     */
    private ArrayList<Outcome> runTasks(PoolTasks t) throws InterruptedException {
        ProcessPool pool = pools.computeIfAbsent(t.pool(), id -> {
            poolOwners.put(id, t.owner());
            return newPool(t.share(), (PoolSpec) SealedFrames.decode(t.spec()));
        });
        int n = t.taskIds().size();
        if (t.tasks().size() != n) {
            throw new IllegalArgumentException(n + " task ids for " + t.tasks().size() + " tasks");
        }
        List<Future<Object>> futures = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                String taskId = t.taskIds().get(i);
                Future<Object> f;
                try {
                    f = pool.submit(task(t, i));
                } catch (RuntimeException e) { // a frame refused, a pool shut down: this task fails, not the others
                    f = CompletableFuture.failedFuture(e);
                }
                futures.add(f);
                runningTasks.put(taskId, f);
                if (cancelledTasks.remove(taskId) != null) {
                    f.cancel(true);
                }
            }
            ArrayList<Outcome> outcomes = new ArrayList<>(n);
            for (Future<Object> f : futures) {
                try {
                    outcomes.add(new Outcome(f.get(), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome(null, e.getCause()));
                } catch (java.util.concurrent.CancellationException e) {
                    outcomes.add(new Outcome(null, e));
                }
            }
            return outcomes;
        } catch (InterruptedException e) { // the driver gave up the call
            futures.forEach(f -> f.cancel(true));
            throw e;
        } finally {
            t.taskIds().forEach(runningTasks::remove);
        }
    }

    /**
     * Task {@code i} of {@code t}. One that captures nothing is decoded once and the same object submitted
     * again (the local pool serializes what it is given when it is submitted, and never runs it here).
     */
    @SuppressWarnings("unchecked")
    private Callable<Object> task(PoolTasks t, int i) {
        byte[] bytes = t.tasks().get(i);
        if (!t.stateless()[i]) {
            return (Callable<Object>) SealedFrames.decode(bytes);
        }
        TaskBytes key = new TaskBytes(bytes);
        Callable<Object> task = statelessTasks.get(key);
        if (task == null) {
            task = (Callable<Object>) SealedFrames.decode(bytes);
            if (statelessTasks.size() >= STATELESS_KEPT) {
                statelessTasks.clear(); // a lambda class is one call site: a few, unless a driver misbehaves
            }
            statelessTasks.put(key, task);
        }
        return task;
    }

    /** A stateless task's bytes, compared by content. */
    private record TaskBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TaskBytes other && java.util.Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    private ProcessPool newPool(int share, PoolSpec spec) {
        ProcessPool.Builder b = Multiprocessing.local().poolBuilder().processes(Math.max(1, share));
        if (spec.initializer() != null) {
            b.initializer(spec.initializer());
        }
        if (spec.maxTasksPerChild() > 0) {
            b.maxTasksPerChild(spec.maxTasksPerChild());
        }
        if (spec.taskTimeout() != null) {
            b.taskTimeout(spec.taskTimeout());
        }
        if (spec.maxMemoryPerChild() > 0) {
            b.maxMemoryPerChild(spec.maxMemoryPerChild());
        }
        b.jvmOptions(childOptions(spec.jvmOptions()).toArray(String[]::new));
        return b.build();
    }

    /** A child's JVM options, plus what lets its proxies reach this cluster. */
    private List<String> childOptions(List<String> options) {
        List<String> all = new ArrayList<>(options);
        all.add("-D" + ClusterNode.KEY_FILE_PROPERTY + "=" + keyFile);
        all.add("-Dmp4j.cluster.heartbeatTimeoutSeconds=" + HazelcastConfigs.heartbeatTimeoutSeconds());
        all.add("-Dmp4j.cluster.clientHeartbeatTimeoutSeconds=" + HazelcastConfigs.clientHeartbeatTimeoutSeconds());
        return all;
    }

    private long startProcess(StartProcess s) {
        ChildProcess p = s.process();
        p.jvmOptions(childOptions(s.jvmOptions()).toArray(String[]::new));
        processOwners.put(s.id(), s.owner());
        processes.put(s.id(), p);
        p.start();
        OutputRouter.route(p.pid(), s.owner());
        return p.pid();
    }

    private Exit awaitExit(String id) {
        ChildProcess p = processes.get(id);
        if (p == null) {
            throw new IllegalStateException("no process " + id + " on this member");
        }
        try {
            p.join();
            return new Exit(p.exitCode().orElse(-1), true, p.stderrTail());
        } catch (org.multiprocessing4j.ChildStartException e) {
            return new Exit(p.exitCode().orElse(1), false, p.stderrTail());
        } finally {
            processes.remove(id);
            processOwners.remove(id);
            OutputRouter.forget(p.pid());
        }
    }

    private Commands.MemberStatus status() {
        ArrayList<Commands.PoolStatus> poolList = new ArrayList<>();
        pools.forEach((id, pool) -> poolList.add(new Commands.PoolStatus(id, poolOwners.getOrDefault(id, "?"),
                pool.processes(), pool.workerPids().stream().mapToLong(Long::longValue).toArray())));
        ArrayList<Commands.ProcessStatus> processList = new ArrayList<>();
        processes.forEach((id, p) -> {
            long pid;
            try {
                pid = p.pid();
            } catch (RuntimeException e) { // not started yet
                pid = -1;
            }
            processList.add(new Commands.ProcessStatus(id, processOwners.getOrDefault(id, "?"), pid, p.isAlive()));
        });
        String offered = node.hz.getCluster().getLocalMember().getAttribute("mp4j.processes");
        return new Commands.MemberStatus(ProcessHandle.current().pid(), offered == null ? 0 : Integer.parseInt(offered),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), runningTasks.size(), poolList, processList,
                node.hz.getClientService().getConnectedClients().size());
    }

    private boolean connectedHere(UUID client) {
        return node.hz.getClientService().getConnectedClients().stream().anyMatch(c -> c.getUuid().equals(client));
    }

    /**
     * A connection of {@code client} to this member closed. That alone does not say the client is gone
     * (a missed heartbeat under load, a network blip: it reconnects): it is gone once, after a grace
     * period ({@code mp4j.cluster.clientGraceMillis}, default 5 s), no member has a connection of it.
     * A client killed with {@code kill -9} closes every connection at once, so it is judged gone after
     * the grace period.
     */
    private void clientDisconnected(UUID client) {
        if (!checking.add(client)) {
            recheck.add(client);
            return;
        }
        CompletableFuture.delayedExecutor(HazelcastConfigs.clientGraceMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            try {
                if (node.hz.getLifecycleService().isRunning()) {
                    if (connectedAnywhere(client)) {
                        System.out.println("mp4j worker: client " + client + " lost a connection but is still "
                                + "connected: it keeps what it owns here");
                    } else {
                        System.out.println("mp4j worker: client " + client + " is gone: its pools and processes here end");
                        clientGone(client);
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("mp4j worker: checking whether client " + client + " is gone failed: " + e);
            } finally {
                checking.remove(client);
                if (recheck.remove(client)) {
                    clientDisconnected(client);
                }
            }
        });
    }

    private boolean connectedAnywhere(UUID client) {
        if (connectedHere(client)) {
            return true;
        }
        IExecutorService executor = node.hz.getExecutorService(HazelcastConfigs.EXECUTOR);
        Member self = node.hz.getCluster().getLocalMember();
        for (Member m : node.hz.getCluster().getMembers()) {
            if (m.equals(self)) {
                continue;
            }
            try {
                byte[] answer = executor.submitToMember(new SealedCall(node.seal(new Commands.ClientConnected(client))), m)
                        .get(30, TimeUnit.SECONDS);
                if (Boolean.TRUE.equals(CallCodec.answer(node.openBytes(answer)).value())) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true; // this member is stopping: judge nothing
            } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
                // that member left or does not answer: it holds no connection that counts
            }
        }
        return false;
    }

    /**
     * {@code client} is gone: what it owned here ends (its pools stop now, their workers freed; its
     * processes are killed), its kept answers are dropped, and its threads' places in lock queues are
     * given up (every member does this; removing is idempotent).
     */
    private void clientGone(UUID client) {
        String owner = client.toString();
        ownerLeft(owner);
        answers.keySet().removeIf(origin -> origin.startsWith(owner + "/"));
        ClusterLock.forgetWaiter(node, client);
    }

    /** A driver left: its pools stop now (their workers freed), its processes are killed. */
    private void ownerLeft(String owner) {
        poolOwners.forEach((pool, o) -> {
            if (o.equals(owner)) {
                ProcessPool p = pools.remove(pool);
                poolOwners.remove(pool);
                cancelledTasks.values().removeIf(pool::equals);
                if (p != null) {
                    p.shutdownNow();
                }
            }
        });
        processOwners.forEach((id, o) -> {
            if (o.equals(owner)) {
                ChildProcess p = processes.get(id);
                if (p != null && p.isAlive()) {
                    p.kill();
                }
            }
        });
    }

    /** Stops every pool (a member leaving). */
    void stop() {
        pools.values().forEach(ProcessPool::shutdownNow);
        pools.clear();
        processes.values().forEach(p -> {
            if (p.isAlive()) {
                p.kill();
            }
        });
    }
}
