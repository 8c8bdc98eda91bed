package org.multiprocessing4j.spi;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splitting a {@code map}'s work into chunks and putting the results back together, as Python's
 * {@code Pool.map}, for every backend's pool: a backend sends each chunk ({@code Object[]} of items)
 * to a worker as it likes and hands the futures of their results ({@code Object[]} too) to
 * {@link #gather}. {@link ChunkIterator} does the same lazily, for {@code imap}.
 */
public final class Chunks {
    private Chunks() {}

    /** Python's default: {@code len / (4 × processes)}, rounded up (at least 1). */
    public static int pythonChunksize(int items, int processes) {
        if (items == 0) {
            return 1;
        }
        return Math.ceilDiv(items, processes * 4);
    }

    /** {@code chunksize}, if it is at least 1. */
    public static int requirePositive(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be ≥ 1, was " + chunksize);
        }
        return chunksize;
    }

    /** The items, read once: {@code items} itself if it is a list. */
    public static <T> List<? extends T> materialize(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof List<? extends T> list) {
            return list;
        }
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    /** {@code items} cut into chunks of {@code chunksize} (the last one may be shorter). */
    public static List<Object[]> slices(List<?> items, int chunksize) {
        List<Object[]> slices = new ArrayList<>(Math.ceilDiv(items.size(), chunksize));
        for (int from = 0; from < items.size(); from += chunksize) {
            slices.add(items.subList(from, Math.min(items.size(), from + chunksize)).toArray());
        }
        return slices;
    }

    /** {@code starmap}'s arguments as entries that can cross a process boundary ({@code Map.entry} cannot). */
    public static <A, B> List<Map.Entry<A, B>> entries(Iterable<? extends Map.Entry<A, B>> args) {
        List<Map.Entry<A, B>> pairs = new ArrayList<>();
        for (Map.Entry<A, B> e : Objects.requireNonNull(args, "args")) {
            pairs.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        }
        return pairs;
    }

    /**
     * The chunks' results, flattened in order. Fails as soon as one chunk fails (with that chunk's
     * exception), and cancels the chunks not yet done, interrupting those running if
     * {@code interruptOthers}. Cancelling the result cancels every chunk.
     */
    @SuppressWarnings("unchecked")
    public static <R> CompletableFuture<List<R>> gather(List<CompletableFuture<Object[]>> chunks,
            boolean interruptOthers) {
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
                        chunks.forEach(c -> c.cancel(interruptOthers));
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
    public static <R> CompletableFuture<R> after(CompletableFuture<R> result, CompletableFuture<Void> after) {
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

    /** The cause of a {@link CompletionException}, or {@code t} itself. */
    public static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
