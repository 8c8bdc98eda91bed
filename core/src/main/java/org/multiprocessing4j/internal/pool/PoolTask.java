package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RunnableFuture;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.PoolTaskEvent;
import org.multiprocessing4j.internal.wire.CapturedLambda;

/**
 * One unit of work for a worker, and its future. A CALL task carries a serialized {@code Callable};
 * a CHUNK task a serialized {@code Object[]} of items for a function the pool defines once per worker.
 *
 * <p><b>Cancellation.</b> {@code cancel} on a queued task removes it; on the task a worker is running,
 * {@code cancel(true)} kills that worker (the pool replaces it) and {@code cancel(false)} lets it finish
 * and drops the result.
 *
 * <p>{@link #run()} runs the task in the calling thread: it is there for the tasks
 * {@code shutdownNow()} returns, which a caller may run itself.
 */
public final class PoolTask<T> extends CompletableFuture<T> implements RunnableFuture<T> {
    final long id;
    final byte kind;
    final int fnId;
    final byte[] payload;
    private final LocalPool pool;
    private volatile boolean overridden;
    private volatile T override;

    PoolTask(LocalPool pool, long id, byte kind, int fnId, byte[] payload) {
        this.pool = pool;
        this.id = id;
        this.kind = kind;
        this.fnId = fnId;
        this.payload = payload;
        if (Events.recording()) {
            PoolTaskEvent event = new PoolTaskEvent();
            if (event.isEnabled()) { // a recording without this event costs no callback per task
                event.begin();
                whenComplete((value, failure) -> record(event, failure));
            }
        }
    }

    private void record(PoolTaskEvent event, Throwable failure) {
        event.end();
        if (event.shouldCommit()) {
            event.taskId = id;
            event.kind = Protocol.kindName(kind);
            event.outcome = failure == null ? "completed" : isCancelled() ? "cancelled" : "failed";
            event.failure = failure == null ? null : failure.toString();
            event.commit();
        }
    }

    /** The value this future yields on success, whatever the worker sent (submit(Runnable, result)). */
    void resultOverride(T result) {
        override = result;
        overridden = true;
    }

    boolean hasResultOverride() {
        return overridden;
    }

    T resultOverride() {
        return override;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            pool.cancelled(this, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        if (isDone() || kind == Protocol.CHUNK) {
            return;
        }
        try {
            Object callable = kind == Protocol.CAPTURED
                    ? CapturedLambda.Shape.decode(pool.definition(fnId)).instantiate(payload)
                    : FunctionTable.read(payload);
            complete(((Callable<T>) callable).call());
        } catch (Throwable t) {
            completeExceptionally(t instanceof IOException || t instanceof ClassNotFoundException
                    ? new IllegalStateException("task " + id + " cannot be read back", t) : t);
        }
    }

    /** Dependent stages are plain futures: cancelling one must not reach into the pool. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public String toString() {
        return "PoolTask[" + id + (kind == Protocol.CHUNK ? ", chunk" : "") + ", " + super.toString() + "]";
    }
}
