package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * A task's return value, back from a worker process: seed 000 ("在 work 函数中加入一个 return",
 * {@code result.get()}) and seed 003 ({@code apply_async} "返回结果用 xx.get() 获得", and that it takes
 * no second argument list). {@code applyAsync} returns at once with a {@code CompletableFuture};
 * {@code get()} waits for the worker's result. {@code apply} is the blocking form. A lambda captures as
 * many arguments as it likes, so two arguments need no {@code starmap}.
 *
 * <p>The Python original:
 * <pre>{@code
 * def work(count):
 *     time.sleep(3)
 *     return '\'work\' 函数 result 返回值为:{}, 进程ID为:{}'.format(count, os.getpid())
 *
 * def add(a, b):
 *     return a + b, os.getpid()
 *
 * if __name__ == '__main__':
 *     pool = multiprocessing.Pool(3)
 *     results = []
 *     for i in range(6):
 *         result = pool.apply_async(func=work, args=(i,))
 *         results.append(result)
 *     for result in results:
 *         print(result.get())
 *     print(pool.apply(add, (2, 3)))
 * }</pre>
 */
public final class PoolApplyGet {
    private static final int PROCESSES = 3;
    private static final int TASKS = 6;
    private static final long WORK_MILLIS = 300;

    private PoolApplyGet() {}

    static String work(int count) {
        Work.sleep(WORK_MILLIS);
        return "'work' result is " + count + ", computed in worker pid=" + Work.pid();
    }

    static String add(int a, int b) {
        return a + " + " + b + " = " + (a + b) + ", computed in worker pid=" + Work.pid();
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        System.out.println("main: pid=" + Work.pid());
        try (ProcessPool pool = Multiprocessing.local().pool(PROCESSES)) {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                int count = i;
                results.add(pool.applyAsync(() -> work(count)));
            }
            System.out.println("main: applyAsync returned " + TASKS + " futures without waiting; done so far: "
                    + results.stream().filter(CompletableFuture::isDone).count());
            for (CompletableFuture<String> result : results) {
                System.out.println("get(): " + result.get());
            }

            int a = 2;
            int b = 3;
            System.out.println("apply(() -> add(a, b)): " + pool.apply(() -> add(a, b)));
            System.out.println("applyAsync(() -> add(40, 2)).get(): " + pool.applyAsync(() -> add(40, 2)).get());
        }
    }
}
