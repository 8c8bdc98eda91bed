package org.multiprocessing4j.internal.launch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The hard bound of the AOT cache's training JVM ({@link AotCache}). That JVM has no parent watch, so
 * that it can finish writing the cache after a short-lived parent has gone; its rehearsals block on
 * queues and pipes without a timeout. Should one of them never return (or the JVM never end), nothing
 * else would stop it: at the deadline a daemon thread halts it, and the training counts as failed
 * (its key is marked, the cache is not tried again until its inputs change).
 *
 * <p>{@code -Dmp4j.aotTrainingSeconds} (default {@value #DEFAULT_SECONDS}, under the five minutes
 * after which a training lock counts as stale) in the parent; the launcher passes it on.
 */
final class TrainingDeadline {
    static final String PROPERTY = "mp4j.aotTrainingSeconds";
    static final long DEFAULT_SECONDS = 120;
    /** The training JVM's exit code at the deadline (as {@code timeout(1)}'s). */
    static final int EXIT_CODE = 124;

    private TrainingDeadline() {}

    static long seconds() {
        long seconds = Long.getLong(PROPERTY, DEFAULT_SECONDS);
        if (seconds < 1) {
            throw new IllegalArgumentException(PROPERTY + " must be ≥ 1, was " + seconds);
        }
        return seconds;
    }

    /** Starts the watch: this JVM halts {@link #seconds()} from now unless it has ended. */
    static void start() {
        long seconds = seconds();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Thread.ofPlatform().daemon().name("mp4j-aot-deadline").start(() -> {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
            System.err.println("multiprocessing4j AOT training JVM (pid " + ProcessHandle.current().pid()
                    + "): not done after " + seconds + " s (-D" + PROPERTY + "); halted");
            Runtime.getRuntime().halt(EXIT_CODE);
        });
    }
}
