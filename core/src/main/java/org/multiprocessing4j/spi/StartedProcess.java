package org.multiprocessing4j.spi;

import java.util.concurrent.CompletableFuture;

/** A started process as its {@link org.multiprocessing4j.ChildProcess} sees it, whatever runs it. */
public interface StartedProcess {

    long pid();

    boolean isAlive();

    /** Whether the process reached its target (a process that ended before that failed to start). */
    boolean started();

    /** Completed once the process has ended and its output has been copied. */
    CompletableFuture<? extends StartedProcess> exited();

    /** The exit code in Python's convention; valid once {@link #exited()} is done. */
    int exitCode();

    /** The last lines of its stderr. */
    String stderrTail();

    /** SIGTERM; no-op once ended. */
    void terminate();

    /** SIGKILL; no-op once ended. */
    void kill();

    /** Where it runs, for messages ({@code "member 10.0.0.5:5701"}), or {@code null} on this machine. */
    default String location() {
        return null;
    }
}
