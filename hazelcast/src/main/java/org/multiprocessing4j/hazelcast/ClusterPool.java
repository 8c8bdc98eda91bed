package org.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.SerializableBiFunction;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.hazelcast.Commands.ClosePool;
import org.multiprocessing4j.hazelcast.Commands.PoolSpec;
import org.multiprocessing4j.hazelcast.Commands.Outcome;
import org.multiprocessing4j.hazelcast.Commands.PoolTasks;
import org.multiprocessing4j.spi.ChunkIterator;
import org.multiprocessing4j.spi.Chunks;
import org.multiprocessing4j.spi.Invocations;

/**
 * A pool whose {@code processes} workers are spread over the cluster's members: each member runs a
 * local {@link ProcessPool} with its share, so a task that exits or runs out of memory ends a worker JVM
 * of a member, never the member. A member that joins later gets a share of the workers from then on.
 * A member lost mid-task fails its tasks with {@link org.multiprocessing4j.WorkerLostException} naming
 * it (they are not retried: a task may have had effects); the others go on.
 *
 * <p><b>Batches.</b> Tasks wait here until a member has room, and go to the least loaded member; all
 * those a member takes at once travel as one executor call, answered at once ({@link PoolTasks}). A
 * member's room is its share of the workers while its tasks' time is not known, or is long; once its
 * recent tasks were short, it is as many as take about {@link #batchNanos()} on its workers (at most
 * {@link #MAX_TASKS_PER_WORKER} a worker), so that the network's round trip is paid once for many tasks,
 * and a task waits on a member behind others for about that long at most. While a member has
 * {@code share + 1} calls under way, tasks wait here and go with its next call.
 */
final class ClusterPool implements ProcessPool {
    private final ClusterContext ctx;
    private final String id = ClusterNode.newName("pool");
    private final int processes;
    /** The pool's {@link PoolSpec}, encoded once: it travels with every call, a member reads it once. */
    private final byte[] spec;
    private final Object lock = new Object();
    private final ArrayDeque<Job<?>> pending = new ArrayDeque<>();   // guarded by lock
    private final Map<UUID, Lane> lanes = new HashMap<>();            // guarded by lock
    private final List<Member> used = new ArrayList<>();              // guarded by lock
    private int running;                                               // guarded by lock
    private final java.util.Set<Job<?>> runningJobs = new java.util.HashSet<>(); // guarded by lock
    private boolean shutdown;                                          // guarded by lock
    private final CountDownLatch terminated = new CountDownLatch(1);

    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    /**
     * How long the tasks sent to a member at once may take there, judged by its recent tasks
     * ({@code mp4j.cluster.batchMillis}, default 10).
     */
    static long batchNanos() {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong("mp4j.cluster.batchMillis", 10));
    }
    /** The most tasks sent ahead to a member, per worker of its share. */
    static final int MAX_TASKS_PER_WORKER = 128;

    /** What this pool has under way on one member, and how long its tasks took lately. */
    private static final class Lane {
        int tasks;
        int calls;
        /** A task's time on one of the member's workers, averaged over recent calls (0: not known yet). */
        double taskNanos;
    }

    /**
     * How many tasks a member with {@code share} workers may have under way: its share while its tasks'
     * time is not known or they are long; else as many as take about {@link #batchNanos()}.
     */
    static int room(int share, double taskNanos) {
        if (taskNanos <= 0) {
            return share;
        }
        long perWorker = Math.max(1, Math.min(MAX_TASKS_PER_WORKER, (long) (batchNanos() / taskNanos)));
        return (int) (share * perWorker);
    }

    /**
     * A call's measure of a task's time on one worker: the call's time (the round trip included, and any
     * wait behind the member's earlier calls: an overestimate, on the safe side) over the tasks each of
     * the {@code share} workers ran.
     */
    static double taskNanos(long elapsedNanos, int tasks, int share) {
        return (double) elapsedNanos * Math.min(tasks, Math.max(1, share)) / tasks;
    }

    ClusterPool(ClusterContext ctx, int processes, PoolSpec spec) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be ≥ 1, was " + processes);
        }
        this.ctx = ctx;
        this.processes = processes;
        try {
            this.spec = org.multiprocessing4j.spi.SealedFrames.encode(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the pool's initializer cannot be sent to the members: " + e.getMessage(), e);
        }
        ctx.node().hz.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {
                dispatch();
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
                synchronized (lock) {
                    lanes.remove(event.getMember().getUuid()); // its calls fail; a member that rejoins is new
                }
                dispatch();
            }
        });
    }

    /**
     * A task waiting for, or running on, a member. A {@link java.util.concurrent.RunnableFuture}: those
     * {@link #shutdownNow()} returns run here when the caller runs them.
     */
    private final class Job<R> extends CompletableFuture<R> implements java.util.concurrent.RunnableFuture<R> {
        final String taskId = java.util.UUID.randomUUID().toString();
        /** The task in the value form; its call's frame authenticates it. */
        final byte[] encodedTask;
        /** Whether it captures nothing (every task of its class has these bytes). */
        final boolean stateless;
        final Callable<?> task;
        final Object original;
        volatile Member member;

        Job(byte[] encodedTask, Callable<?> task, Object original) {
            this.encodedTask = encodedTask;
            this.stateless = STATELESS.get(task.getClass()) != null;
            this.task = task;
            this.original = original;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            if (isDone()) {
                return;
            }
            try {
                Object v = task.call();
                complete((R) (original instanceof RunnableResult<?> r ? r.result : v));
            } catch (Throwable e) {
                completeExceptionally(e);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Member m = member;
            if (cancelled && m != null && mayInterruptIfRunning && ctx.node().hz.getLifecycleService().isRunning()
                    && ctx.node().hz.getCluster().getMembers().contains(m)) {
                // Its member's pool kills (and replaces) the worker, even if the task has not arrived yet.
                ctx.remote().call(m, new Commands.CancelTask(id, taskId));
            }
            return cancelled;
        }
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * The encoded task of each class whose tasks capture nothing (a lambda without captured values: its
     * instances all serialize alike), made on first use; null for other classes. The same rule as the
     * local pool's, which defines such a task once per worker; here it spares serializing it per task,
     * and the member decodes it once ({@link MemberRuntime}).
     */
    private static final ClassValue<java.util.concurrent.atomic.AtomicReference<byte[]>> STATELESS = new ClassValue<>() {
        @Override
        protected java.util.concurrent.atomic.AtomicReference<byte[]> computeValue(Class<?> type) {
            return type.isHidden() && type.getDeclaredFields().length == 0 ? new java.util.concurrent.atomic.AtomicReference<>() : null;
        }
    };

    /** {@code task} in the value form (once per class for a task that captures nothing). */
    static byte[] encode(Object task) {
        java.util.concurrent.atomic.AtomicReference<byte[]> known = STATELESS.get(task.getClass());
        if (known == null) {
            return org.multiprocessing4j.spi.SealedFrames.encode(task);
        }
        byte[] bytes = known.get();
        if (bytes == null) {
            bytes = org.multiprocessing4j.spi.SealedFrames.encode(task);
            known.set(bytes);
        }
        return bytes;
    }

    private <R> Job<R> enqueue(Callable<?> task, Object original) {
        Objects.requireNonNull(task, "task");
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException(task.getClass().getName() + " is not Serializable, so it cannot be sent "
                    + "to a worker process; use a SerializableCallable/SerializableRunnable lambda or make the class Serializable");
        }
        byte[] encoded;
        try {
            encoded = encode(task);
        } catch (IllegalArgumentException e) {
            throw new RejectedExecutionException("the task " + task.getClass().getName() + " cannot be sent to a worker: "
                    + e.getMessage(), e);
        }
        Job<R> job = new Job<>(encoded, task, original);
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("the pool is shut down");
            }
            pending.addLast(job);
        }
        dispatch();
        return job;
    }

    /** This member's share of the workers: {@code processes} spread evenly over the members, in a fixed order. */
    private static int share(List<Member> members, Member member, int processes) {
        int index = members.indexOf(member);
        int n = members.size();
        return processes / n + (index < processes % n ? 1 : 0);
    }

    private void dispatch() {
        List<Member> members = new ArrayList<>(ctx.node().hz.getCluster().getMembers());
        members.sort(Comparator.comparing(Member::getUuid));
        Map<Member, List<Job<?>>> batches = new java.util.LinkedHashMap<>();
        Map<Member, Integer> shares = new HashMap<>();
        synchronized (lock) {
            while (!pending.isEmpty()) {
                Member target = null;
                Lane targetLane = null;
                double least = Double.MAX_VALUE;
                for (Member m : members) {
                    int share = share(members, m, processes);
                    if (share == 0) {
                        continue;
                    }
                    Lane lane = lanes.computeIfAbsent(m.getUuid(), u -> new Lane());
                    int room = room(share, lane.taskNanos);
                    boolean callFree = batches.containsKey(m) || lane.calls < share + 1;
                    if (lane.tasks < room && callFree && (double) lane.tasks / room < least) {
                        least = (double) lane.tasks / room;
                        target = m;
                        targetLane = lane;
                        shares.put(m, share);
                    }
                }
                if (target == null) {
                    break;
                }
                Job<?> job = pending.pollFirst();
                if (job.isDone()) {
                    continue; // cancelled while waiting
                }
                List<Job<?>> batch = batches.computeIfAbsent(target, m -> new ArrayList<>());
                if (batch.isEmpty()) {
                    targetLane.calls++;
                }
                batch.add(job);
                targetLane.tasks++;
                running++;
                runningJobs.add(job);
                if (!used.contains(target)) {
                    used.add(target);
                }
            }
        }
        batches.forEach((member, jobs) -> send(jobs, member, shares.get(member)));
    }

    @SuppressWarnings("unchecked")
    private void send(List<Job<?>> jobs, Member member, int share) {
        java.util.ArrayList<String> ids = new java.util.ArrayList<>(jobs.size());
        java.util.ArrayList<byte[]> tasks = new java.util.ArrayList<>(jobs.size());
        boolean[] stateless = new boolean[jobs.size()];
        for (int i = 0; i < jobs.size(); i++) {
            Job<?> job = jobs.get(i);
            job.member = member;
            ids.add(job.taskId);
            tasks.add(job.encodedTask);
            stateless[i] = job.stateless;
        }
        long sent = System.nanoTime();
        calls.incrementAndGet();
        Remote.Call call = ctx.remote().call(member, new PoolTasks(ctx.owner(), id, ids, share, spec, tasks, stateless));
        for (Job<?> job : jobs) {
            if (job.isCancelled()) { // cancelled while its command was made: its member may not have seen that
                ctx.remote().call(member, new Commands.CancelTask(id, job.taskId));
            }
        }
        call.whenComplete((v, e) -> {
            long elapsed = System.nanoTime() - sent;
            synchronized (lock) {
                Lane lane = lanes.get(member.getUuid());
                if (lane != null) {
                    lane.tasks -= jobs.size();
                    lane.calls--;
                    if (e == null) {
                        double sample = taskNanos(elapsed, jobs.size(), share);
                        lane.taskNanos = lane.taskNanos == 0 ? sample : (lane.taskNanos + sample) / 2;
                    }
                }
                running -= jobs.size();
                jobs.forEach(runningJobs::remove);
            }
            List<Outcome> outcomes = e == null ? (List<Outcome>) v : null;
            for (int i = 0; i < jobs.size(); i++) {
                Job<Object> j = (Job<Object>) jobs.get(i);
                if (e != null) {
                    j.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                } else if (outcomes.get(i).error() != null) {
                    j.completeExceptionally(outcomes.get(i).error());
                } else {
                    Object value = outcomes.get(i).value();
                    j.complete(j.original instanceof RunnableResult<?> r ? r.result : value);
                }
            }
            dispatch();
            maybeTerminated();
        });
    }

    /** How many executor calls carried this pool's tasks (for tests). */
    long calls() {
        return calls.get();
    }

    // ---------------------------------------------------------------- submission

    @Override
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        return enqueue(Objects.requireNonNull(task, "task"), task);
    }

    @Override
    public <R> R apply(SerializableCallable<R> task) {
        return applyAsync(task).join();
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return enqueue(Objects.requireNonNull(task, "task"), task);
    }

    /** The result of {@code submit(Runnable, result)} stays here; only the runnable travels. */
    private record RunnableResult<T>(T result) {}

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException(task.getClass().getName() + " is not Serializable, so it cannot be sent "
                    + "to a worker process; use a SerializableRunnable lambda or make the class Serializable");
        }
        SerializableRunnable r = task::run;
        SerializableCallable<Object> call = () -> {
            r.run();
            return null;
        };
        return enqueue(call, new RunnableResult<>(result));
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        Invocations.awaitAll(futures);
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        Invocations.awaitAll(futures, deadline);
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return Invocations.invokeAny(task -> (CompletableFuture<T>) submit(task), tasks, timeout, unit);
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    // ---------------------------------------------------------------- Python's map family

    /** {@code fn} over one chunk, in a worker. */
    private record Chunk<T, R>(SerializableFunction<? super T, ? extends R> fn, Object[] items)
            implements SerializableCallable<Object[]> {
        @Override
        @SuppressWarnings("unchecked")
        public Object[] call() {
            Object[] out = new Object[items.length];
            for (int i = 0; i < items.length; i++) {
                out[i] = fn.apply((T) items[i]);
            }
            return out;
        }
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        Objects.requireNonNull(fn, "fn");
        List<? extends T> list = Chunks.materialize(items);
        return mapAsync(fn, list, Chunks.pythonChunksize(list.size(), processes));
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        Objects.requireNonNull(fn, "fn");
        Chunks.requirePositive(chunksize);
        return Chunks.gather(submit(fn, Chunks.slices(Chunks.materialize(items), chunksize)), true);
    }

    private <T, R> List<CompletableFuture<Object[]>> submit(SerializableFunction<? super T, ? extends R> fn,
            List<Object[]> slices) {
        List<CompletableFuture<Object[]>> chunks = new ArrayList<>(slices.size());
        for (Object[] slice : slices) {
            chunks.add(applyAsync(new Chunk<T, R>(fn, slice)));
        }
        return chunks;
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        return new Imap<>(fn, items, chunksize, true);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return new Imap<>(fn, items, chunksize, false);
    }

    /** {@link ChunkIterator} over {@link #applyAsync}, a fixed window of chunks in flight. */
    private final class Imap<T, R> extends ChunkIterator<T, R> {
        private final SerializableFunction<? super T, ? extends R> fn;

        Imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize, boolean ordered) {
            super(items, chunksize, ordered, Math.max(2 * processes, 4), Math.max(2 * processes, 4));
            this.fn = Objects.requireNonNull(fn, "fn");
            start();
        }

        @Override
        protected List<CompletableFuture<Object[]>> submit(List<Object[]> slices) {
            return ClusterPool.this.submit(fn, slices);
        }
    }

    @Override
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<? extends Map.Entry<A, B>> args) {
        Objects.requireNonNull(fn, "fn");
        List<Map.Entry<A, B>> pairs = Chunks.entries(args);
        SerializableFunction<Map.Entry<A, B>, R> spread = e -> fn.apply(e.getKey(), e.getValue());
        return map(spread, pairs);
    }

    @Override
    public int processes() {
        return processes;
    }

    /** The pids of the workers on every member this pool has used (asked of each member). */
    @Override
    @SuppressWarnings("unchecked")
    public List<Long> workerPids() {
        List<Member> members;
        synchronized (lock) {
            members = new ArrayList<>(used);
        }
        List<Long> pids = new ArrayList<>();
        for (Member m : members) {
            if (ctx.node().hz.getCluster().getMembers().contains(m)) {
                try {
                    pids.addAll((List<Long>) ctx.remote().call(m, new Commands.WorkerPids(id)).join());
                } catch (java.util.concurrent.CompletionException e) {
                    // the member left meanwhile: it has no workers
                }
            }
        }
        return pids;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
        }
        maybeTerminated();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> never = new ArrayList<>();
        List<Job<?>> cancelled = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            for (Job<?> job : pending) {
                if (!job.isDone()) {
                    never.add(job); // the caller may run it here
                }
            }
            pending.clear();
            cancelled.addAll(runningJobs);
        }
        cancelled.forEach(j -> j.cancel(true));
        closeMembers(true);
        maybeTerminated();
        return never;
    }

    private void maybeTerminated() {
        boolean done;
        synchronized (lock) {
            done = shutdown && running == 0 && pending.isEmpty() && terminated.getCount() > 0;
        }
        if (done) {
            closeMembers(false);
            terminated.countDown();
        }
    }

    private void closeMembers(boolean now) {
        if (!ctx.node().hz.getLifecycleService().isRunning()) {
            return; // the driver left: the members have closed this pool already
        }
        List<Member> members;
        synchronized (lock) {
            members = new ArrayList<>(used);
        }
        for (Member m : members) {
            if (ctx.node().hz.getCluster().getMembers().contains(m)) {
                ctx.remote().call(m, new ClosePool(id, now));
            }
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public String toString() {
        return "ClusterPool[" + processes + " processes on " + ctx.node().ref.clusterName() + "]";
    }
}
