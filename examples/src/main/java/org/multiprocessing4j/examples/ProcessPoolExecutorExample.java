package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.SerializableCallable;

/**
 * The pool as a plain {@link ExecutorService}: seed 003's {@code ProcessPoolExecutor} ("线程池/进程池 …
 * 将相应的 task 函数提交(submit)给进程池", a {@code Future} for the result). {@code submit} returns a
 * {@code Future}; Python's {@code as_completed} is {@link #asCompleted} below, over the
 * {@code CompletableFuture}s that {@code applyAsync} returns; {@code invokeAll} runs a batch and waits
 * for all of it. Code written against {@code ExecutorService} runs its tasks in processes unchanged,
 * provided the tasks are serializable; one that is not is refused at submission, in the caller.
 *
 * <p>The Python original:
 * <pre>{@code
 * def task(name, seconds):
 *     time.sleep(seconds)
 *     return f'{name} slept {seconds} s in pid {os.getpid()}'
 *
 * if __name__ == '__main__':
 *     with ProcessPoolExecutor(max_workers=3) as executor:
 *         print(executor.submit(task, 'submitted', 0.1).result())
 *         futures = [executor.submit(task, name, s) for name, s in (('slow', 0.5), ('quick', 0.1), ('medium', 0.3))]
 *         for future in as_completed(futures):
 *             print(future.result())
 *         print(list(executor.map(task, ('a', 'b', 'c'), (0.1, 0.1, 0.1))))   # invokeAll here
 * }</pre>
 */
public final class ProcessPoolExecutorExample {
    private static final int WORKERS = 3;

    private ProcessPoolExecutorExample() {}

    static String task(String name, long millis) {
        Work.sleep(millis);
        return name + " slept " + millis + " ms in worker pid=" + Work.pid();
    }

    /** A task for the {@code ExecutorService} methods, which take a {@code Callable}: this one is serializable. */
    static SerializableCallable<String> taskCalled(String name, long millis) {
        return () -> task(name, millis);
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        System.out.println("main: pid=" + Work.pid());
        try (ProcessPool pool = Multiprocessing.local().pool(WORKERS)) {
            ExecutorService executor = pool;

            Future<String> submitted = executor.submit(taskCalled("submitted", 100));
            System.out.println("submit(...).get(): " + submitted.get());
            Callable<String> plain = () -> "never runs"; // a lambda typed Callable is not serializable
            try {
                executor.submit(plain);
                System.out.println("submit(a plain Callable) was accepted: should not happen");
            } catch (RuntimeException e) {
                System.out.println("submit(a plain Callable) refused in the caller: " + e.getClass().getSimpleName()
                        + ": " + e.getMessage());
            }

            List<CompletableFuture<String>> futures = new ArrayList<>();
            futures.add(pool.applyAsync(() -> task("slow", 500)));
            futures.add(pool.applyAsync(() -> task("quick", 100)));
            futures.add(pool.applyAsync(() -> task("medium", 300)));
            System.out.println("as completed (submitted slow, quick, medium):");
            for (CompletableFuture<String> future : asCompleted(futures)) {
                System.out.println("  " + future.join());
            }

            List<Future<String>> all = executor.invokeAll(List.of(taskCalled("a", 100), taskCalled("b", 100),
                    taskCalled("c", 100)));
            System.out.println("invokeAll returned " + all.size() + " futures, all done: "
                    + all.stream().allMatch(Future::isDone));
            for (Future<String> f : all) {
                System.out.println("  " + f.get());
            }
        }
        System.out.println("main: the executor is closed (shutdown and wait)");
    }

    /**
     * Python's {@code as_completed}: the futures in the order they complete, each as it does. A future
     * that completes exceptionally comes too; its {@code join()} throws. Iterate it once.
     */
    static <T> Iterable<CompletableFuture<T>> asCompleted(Collection<CompletableFuture<T>> futures) {
        BlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
        futures.forEach(f -> f.whenComplete((result, failure) -> done.add(f)));
        int count = futures.size();
        return () -> new Iterator<>() {
            private int left = count;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public CompletableFuture<T> next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                left--;
                try {
                    return done.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a future to complete", e);
                }
            }
        };
    }
}
