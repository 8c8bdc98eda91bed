package org.multiprocessing4j;

import org.multiprocessing4j.spi.LocalBackend;

/**
 * Told how a pool call goes, as mpire's and tqdm's progress bars are: set for every call with
 * {@link ProcessPool.Builder#progress(ProgressListener)}, or for some calls with
 * {@link ProcessPool#withProgress(ProgressListener)}.
 *
 * <p>{@link #started} comes once, before any item is done; {@link #progress} after each task (a
 * chunk of a {@code map}) ends; {@link #finished} once the call is over (a {@code map}'s result is
 * complete or failed, an {@code imap}'s iterator has ended, {@code invokeAll} returns). An
 * {@code imap} over an endless input never finishes.
 *
 * <p><b>Threads.</b> The calls for one pool call come one at a time, in order, but from the pool's
 * threads (those that read the workers' results): a listener must return quickly and not block.
 * One listener set on several calls that run at once is called for each; {@link Progress#operation}
 * says which.
 */
@FunctionalInterface
public interface ProgressListener {

    /** After each task of the call ends; {@code progress.done()} only grows. */
    void progress(Progress progress);

    /** Once, as the call begins (nothing done yet; the total when already known). */
    default void started(Progress progress) {}

    /** Once, as the call ends: all items done, or the call failed or was abandoned. */
    default void finished(Progress progress) {}

    /**
     * A progress bar on the console (JDK only): count, percentage, rate and ETA, or count and rate
     * while the total is unknown. On a terminal it is redrawn in place on {@code System.err}, and
     * erased before a worker's output is copied there, then redrawn; otherwise it prints a plain line
     * every few seconds and at the end.
     */
    static ProgressListener consoleBar() {
        return LocalBackend.get().consoleBar();
    }
}
