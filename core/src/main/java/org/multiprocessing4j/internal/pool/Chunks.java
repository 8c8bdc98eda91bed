package org.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Splitting work into chunks and putting the results back together, as Python's {@code Pool.map}. */
final class Chunks {
    private Chunks() {}

    /** Python's default: {@code len / (4 × processes)}, rounded up (at least 1). */
    static int pythonChunksize(int items, int processes) {
        if (items == 0) {
            return 1;
        }
        return Math.ceilDiv(items, processes * 4);
    }

    static void requirePositive(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be ≥ 1, was " + chunksize);
        }
    }

    /**
     * The chunks' results, flattened in order. Fails as soon as one chunk fails (with that chunk's
     * exception), and cancels the chunks not yet done.
     */
    @SuppressWarnings("unchecked")
    static <R> CompletableFuture<List<R>> gather(List<CompletableFuture<Object[]>> chunks) {
        CompletableFuture<List<R>> result = new CompletableFuture<>();
        if (chunks.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        AtomicInteger remaining = new AtomicInteger(chunks.size());
        for (CompletableFuture<Object[]> chunk : chunks) {
            chunk.whenComplete((values, failure) -> {
                if (failure != null) {
                    if (result.completeExceptionally(unwrap(failure))) {
                        chunks.forEach(c -> c.cancel(false));
                    }
                } else if (remaining.decrementAndGet() == 0) {
                    List<R> all = new ArrayList<>();
                    for (CompletableFuture<Object[]> c : chunks) {
                        all.addAll((List<R>) Arrays.asList(c.join()));
                    }
                    result.complete(all);
                }
            });
        }
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                chunks.forEach(c -> c.cancel(true));
            }
        });
        return result;
    }

    /**
     * {@code result}'s outcome, once {@code after} has completed too (a progress listener told the end:
     * a caller sees the result after the last progress line). Cancelling it cancels {@code result}.
     */
    static <R> CompletableFuture<R> after(CompletableFuture<R> result, CompletableFuture<Void> after) {
        CompletableFuture<R> out = new CompletableFuture<>();
        result.whenComplete((v, e) -> after.whenComplete((x, y) -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                result.cancel(true);
            }
        });
        return out;
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
