package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.multiprocessing4j.Progress;
import org.multiprocessing4j.ProgressListener;

/**
 * The progress of one pool call, told to its {@link ProgressListener}. Exists only for a call that has
 * a listener: a call without one has no tracker (null) and pays nothing per item.
 *
 * <p><b>Lifecycle.</b> Created as the call starts ({@code started}); each task is {@link #watch watched}
 * until it completes ({@code progress}; a cancelled task counts neither as done nor failed); once the
 * call has submitted its last task ({@link #close}) and every watched task has completed, it is
 * {@code finished} and {@link #finished()} completes.
 *
 * <p><b>Concurrency.</b> Tasks complete on the pool's reader threads; every field is guarded by
 * {@code this}, and the listener is called under it, so one call's events come one at a time, in order.
 */
final class ProgressTracker {
    private final ProgressListener listener;
    private final String operation;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private long done;      // guarded by this
    private long failed;    // guarded by this
    private long total;     // guarded by this
    private int pending;    // guarded by this: watched tasks not yet completed
    private boolean closed; // guarded by this

    private ProgressTracker(ProgressListener listener, String operation, long total) {
        this.listener = listener;
        this.operation = operation;
        this.total = total;
    }

    /** A tracker that has told {@code listener} the call started, or null if there is no listener. */
    static ProgressTracker start(ProgressListener listener, String operation, long total) {
        if (listener == null) {
            return null;
        }
        ProgressTracker tracker = new ProgressTracker(listener, operation, total);
        synchronized (tracker) {
            tracker.tell(0);
        }
        return tracker;
    }

    /** Counts {@code future}'s {@code items} as done (or failed) when it completes. */
    void watch(CompletableFuture<?> future, int items) {
        synchronized (this) {
            pending++;
        }
        future.whenComplete((v, e) -> completed(items, e));
    }

    private synchronized void completed(int items, Throwable failure) {
        pending--;
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (!(cause instanceof CancellationException)) {
            done += items;
            if (failure != null) {
                failed += items;
            }
            tell(1);
        }
        finishIfOver();
    }

    /** The number of items is now known (an {@code imap}'s input has ended). */
    synchronized void total(long total) {
        this.total = total;
    }

    /** The call submits no more tasks: it finishes once those watched have completed. */
    synchronized void close() {
        closed = true;
        finishIfOver();
    }

    /** Completes once {@code finished} has been told. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** Waits until the listener has been told the call finished (briefly: only its last events are left). */
    void awaitFinished() {
        finished.join();
    }

    private void finishIfOver() {
        if (closed && pending == 0 && !finished.isDone()) {
            if (total < 0) {
                total = done;
            }
            tell(2);
            finished.complete(null);
        }
    }

    /** Guarded by this. A listener's exception is dropped: it must not fail the pool's threads or the call. */
    private void tell(int event) {
        Progress p = new Progress(operation, done, failed, total, Duration.ofNanos(System.nanoTime() - startNanos));
        try {
            switch (event) {
                case 0 -> listener.started(p);
                case 1 -> listener.progress(p);
                default -> listener.finished(p);
            }
        } catch (RuntimeException e) {
            // the listener's own bug; the work goes on
        }
    }
}
