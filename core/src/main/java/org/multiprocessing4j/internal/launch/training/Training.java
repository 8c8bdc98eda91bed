package org.multiprocessing4j.internal.launch.training;

import org.multiprocessing4j.internal.pool.Rehearsal;

/**
 * What the AOT cache's training JVM rehearses, in one place: a pool worker's life, a queue's, a pipe's
 * and a manager's traffic, a launch message holding the library's objects read back
 * ({@link HandlesRehearsal}), and the linkage of lambdas of common shapes ({@link LambdaShapes}), so that
 * the cache carries their classes and method profiles (JEP 515) and a child compiles its hot paths
 * early. The queue's, the pipe's and the manager's rehearsals are package-private here; the
 * pool worker's stays in {@code internal.pool} ({@link Rehearsal}), as it speaks that package's
 * private protocol. Nothing but the training JVM runs them, through the launch message of
 * {@code ChildProcess.warmUpRequest}; that JVM's hard deadline is {@code launch.TrainingDeadline}'s.
 */
public final class Training {
    /**
     * The training JVM's property naming the cache it trains: {@code plain} (for a child whose target
     * captures only raw values: the lambda shapes only, no rehearsals) or {@code full} (pool workers and
     * children whose target holds a queue, a pipe or another object: everything). Absent: everything.
     */
    public static final String KIND_PROPERTY = "mp4j.aotTrainingKind";
    /** {@link #KIND_PROPERTY}'s value for the plain cache. */
    public static final String PLAIN = "plain";

    private Training() {}

    /** The training run's work. A rehearsal that fails leaves the cache a little colder, nothing else. */
    public static void rehearse() {
        if (!PLAIN.equals(System.getProperty(KIND_PROPERTY))) {
            Rehearsal.run();
            QueueRehearsal.run();
            PipeRehearsal.run();
            ManagerRehearsal.run();
            HandlesRehearsal.run();
        }
        LambdaShapes.run();
    }
}
