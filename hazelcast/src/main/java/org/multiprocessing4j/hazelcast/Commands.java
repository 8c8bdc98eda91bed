package org.multiprocessing4j.hazelcast;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SerializableRunnable;

/** What a driver asks of a member, inside a {@link SealedCall}'s frame, and what the member answers. */
final class Commands {
    private Commands() {}

    /** How a driver's pool is built on each member (its share of the workers). */
    record PoolSpec(SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout, long maxMemoryPerChild,
            List<String> jvmOptions) implements Serializable {}

    /**
     * Runs {@code tasks} (each a task in the value form, its id in {@code taskIds}) in the member's local
     * pool {@code pool} (made with {@code share} workers and the {@link PoolSpec} in {@code spec}, value
     * form, if new); answers an {@code ArrayList} of one {@link Outcome} per task, in their order. It
     * travels in an {@link Envelope}'s frame ({@link CallCodec}), which authenticates all of it: the
     * spec is encoded once per pool, and read only by a member that makes the pool. A task marked
     * {@code stateless} captures nothing: every task of its class has the same bytes, which a member
     * decodes once.
     */
    record PoolTasks(String owner, String pool, java.util.ArrayList<String> taskIds, int share, byte[] spec,
            java.util.ArrayList<byte[]> tasks, boolean[] stateless) implements Serializable {}

    /** Cancels task {@code taskId} of pool {@code pool}, running (its worker is killed) or yet to arrive. */
    record CancelTask(String pool, String taskId) implements Serializable {}

    /** Answers the pids of the member's workers of pool {@code pool}. */
    record WorkerPids(String pool) implements Serializable {}

    /** Shuts the member's pool down (now: the driver cancelled or is gone). */
    record ClosePool(String pool, boolean now) implements Serializable {}

    /** Starts {@code process} in a child JVM of the member; answers its pid. */
    record StartProcess(String owner, String id, ChildProcess process, List<String> jvmOptions, String outputTopic)
            implements Serializable {}

    /** Waits for process {@code id} to end; answers its {@link Exit}. */
    record AwaitExit(String id) implements Serializable {}

    /** SIGTERM ({@code kill} false) or SIGKILL to process {@code id}. */
    record Signal(String id, boolean kill) implements Serializable {}

    /**
     * A driver's command with its call id: a command sent again after its connection dropped (the member
     * still a member) gets the answer of its first run, never a second run. {@code answered} lists the
     * ids whose answers the driver has, so the member forgets them.
     */
    record Envelope(String origin, long id, long[] answered, Object command) implements Serializable {}

    /** Member to member: whether the client {@code uuid} is connected to the member asked. */
    record ClientConnected(java.util.UUID uuid) implements Serializable {}

    /** Answers the member's {@link MemberStatus} ({@code mp4j cluster status}). */
    record Status() implements Serializable {}

    /** One driver's pool on a member: its worker processes' pids. */
    record PoolStatus(String pool, String owner, int processes, long[] workerPids) implements Serializable {}

    /** One driver's process on a member. */
    record ProcessStatus(String id, String owner, long pid, boolean alive) implements Serializable {}

    /**
     * A member's view of itself: its pid, the pool workers it offers, the machine's load average and
     * CPUs, the tasks running in its pools, its drivers' pools and processes, its connected clients.
     */
    record MemberStatus(long pid, int processesOffered, double loadAverage, int cpus, int runningTasks,
            java.util.ArrayList<PoolStatus> pools, java.util.ArrayList<ProcessStatus> processes, int clients)
            implements Serializable {}

    /** Answers the member's pid and address: a command that only proves the frame was accepted. */
    record Ping() implements Serializable {}

    record Exit(int code, boolean started, String stderrTail) implements Serializable {}

    /** A member's answer: a value, or the exception the command (or its task) threw. */
    record Outcome(Object value, Throwable error) implements Serializable {}
}
