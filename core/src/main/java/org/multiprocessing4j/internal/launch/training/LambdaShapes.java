package org.multiprocessing4j.internal.launch.training;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Lambdas of the shapes a user's targets commonly have, linked once in the AOT cache's training run
 * only: a target capturing an {@code int} and an object, two objects, a {@code long}, a {@code double}
 * and so on, returning nothing (a process's target) or a value (a pool's task).
 *
 * <p>Why: a user's serializable lambda is linked in the child at run time (the AOT cache links ahead
 * of time only the lambdas of the classes it was trained on, and never a serializable one), and that
 * linkage needs two method-handle adapters ({@code LambdaForm}s) whose shape is the lambda's captured
 * types' basic types: one that calls its implementation method, one that constructs its class. The
 * JDK puts every adapter a training run used into the cache's pregenerated holder classes; an adapter
 * that is not there is generated as a class of its own in the child, 1–2 ms each in a cold JVM
 * ({@code -Djava.lang.invoke.MethodHandle.TRACE_RESOLVE=true} prints the misses as {@code (fail)}).
 */
final class LambdaShapes {
    private static volatile long sink;
    private static int calls; // the training's one thread; read by the test

    /** How many lambdas the last {@link #run} called. */
    static int calls() {
        return calls;
    }

    private LambdaShapes() {}

    /** Links and calls every shape; returns how many distinct lambda classes it linked (one per shape). */
    static int run() {
        Object o = "o";
        Object p = List.of();
        Object q = Set.of();
        Object r = new Object();
        int i = 1;
        int k = 5;
        long j = 2L;
        double d = 3.0;
        float f = 4.0f;
        // A lambda captures each variable once: its shape is the types of the distinct variables it
        // uses, in order (use(o, p, o) captures o and p). Handles and strings are objects (L): a target
        // handed a queue, a lock and a counter is (L, L, L); a queue, an index and a file name (L, I, L).
        List<Runnable> targets = List.of(
                () -> use(o), () -> use(o, p), () -> use(o, p, q), () -> use(o, p, q, r),
                () -> use(i), () -> use(i, k), () -> use(o, i), () -> use(i, o), () -> use(o, p, i), () -> use(o, i, k),
                () -> use(o, i, p), () -> use(i, o, p), () -> use(o, p, q, i), () -> use(o, i, p, q),
                () -> use(j), () -> use(o, j), () -> use(j, o), () -> use(o, j, p), () -> use(o, p, j),
                () -> use(d), () -> use(o, d), () -> use(f), () -> use(o, f));
        Set<Class<?>> linked = new HashSet<>();
        calls = targets.size();
        for (Runnable target : targets) {
            target.run();
            linked.add(target.getClass());
        }
        List<Callable<Object>> tasks = List.of(() -> o, () -> List.of(o, p), () -> i, () -> j, () -> d,
                () -> o.hashCode() + i, () -> o.hashCode() + j);
        calls += tasks.size();
        for (Callable<Object> task : tasks) {
            try {
                sink += task.call().hashCode();
                linked.add(task.getClass());
            } catch (Exception e) {
                throw new AssertionError(e); // none of them throws
            }
        }
        List<Function<Object, Object>> functions = List.of(x -> x, x -> List.of(x, o), x -> x.hashCode() + i,
                x -> x.hashCode() + j);
        calls += functions.size();
        for (Function<Object, Object> function : functions) {
            sink += function.apply(o).hashCode();
            linked.add(function.getClass());
        }
        return linked.size();
    }

    private static void use(Object... values) {
        sink += values.length;
    }

    private static void use(int a) {
        sink += a;
    }

    private static void use(int a, int b) {
        sink += a + b;
    }

    private static void use(Object a, int b) {
        sink += b;
    }

    private static void use(int a, Object b) {
        sink += a;
    }

    private static void use(Object a, Object b, int c) {
        sink += c;
    }

    private static void use(Object a, int b, int c) {
        sink += b + c;
    }

    private static void use(long a) {
        sink += a;
    }

    private static void use(Object a, long b) {
        sink += b;
    }

    private static void use(long a, Object b) {
        sink += a;
    }

    private static void use(double a) {
        sink += (long) a;
    }

    private static void use(Object a, double b) {
        sink += (long) b;
    }

    private static void use(float a) {
        sink += (long) a;
    }

    private static void use(Object a, float b) {
        sink += (long) b;
    }
}
