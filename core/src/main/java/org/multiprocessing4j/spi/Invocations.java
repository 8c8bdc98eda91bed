package org.multiprocessing4j.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link java.util.concurrent.ExecutorService#invokeAll invokeAll} and
 * {@link java.util.concurrent.ExecutorService#invokeAny invokeAny} to the letter of their Javadoc, for
 * every backend's pool: the pool submits, these wait and cancel.
 */
public final class Invocations {
    private Invocations() {}

    /**
     * Waits until every future is done (each keeps its own outcome); if interrupted, cancels them all
     * and throws.
     */
    public static <T> void awaitAll(List<? extends Future<T>> futures) throws InterruptedException {
        try {
            for (Future<T> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future itself
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /**
     * Waits until every future is done or {@code deadline} ({@link System#nanoTime()}) has passed, then
     * cancels those not done; if interrupted, cancels them all and throws.
     */
    public static <T> void awaitAll(List<? extends Future<T>> futures, long deadline) throws InterruptedException {
        try {
            for (Future<T> f : futures) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future itself
                } catch (TimeoutException e) {
                    futures.forEach(g -> g.cancel(true));
                    break;
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /**
     * The result of the first task of {@code tasks} to complete without an exception; the others are
     * cancelled. {@code timeout} {@link Long#MAX_VALUE} waits without a deadline.
     */
    public static <T> T invokeAny(Function<Callable<T>, ? extends CompletableFuture<T>> submit,
            Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + unit.toNanos(timeout);
        LinkedBlockingQueue<Future<T>> done = new LinkedBlockingQueue<>();
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (Callable<T> task : tasks) {
                CompletableFuture<T> f = submit.apply(task);
                futures.add(f);
                f.whenComplete((v, e) -> done.add(f));
            }
            ExecutionException last = null;
            for (int remaining = futures.size(); remaining > 0; remaining--) {
                Future<T> f = deadline == Long.MAX_VALUE ? done.take()
                        : done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new TimeoutException("no task of invokeAny completed within " + timeout + " " + unit);
                }
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }
}
