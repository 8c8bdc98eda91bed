package org.multiprocessing4j.examples;

import java.util.List;
import java.util.stream.IntStream;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;

/**
 * A long {@code map} with a progress bar, then where the pool's time went: mpire's
 * {@code WorkerPool(n_jobs, enable_insights=True)}, {@code map(f, items, progress_bar=True)} and
 * {@code print_insights()}, which is what tqdm over {@code imap} gives a {@code multiprocessing} user.
 * One worker is made slow on purpose (the first worker's pid), and the insights single it out. The
 * workers print a line now and then: on a terminal the bar is erased before each such line and
 * redrawn below it, so the two never share a line.
 *
 * <p>The Python original:
 * <pre>{@code
 * def work(slow_pid, x):
 *     time.sleep(0.06 if os.getpid() == slow_pid else 0.001)
 *     if x % 100 == 0:
 *         print(f"worker {os.getpid()}: item {x}")
 *     return x * x
 *
 * if __name__ == '__main__':
 *     with WorkerPool(n_jobs=2, enable_insights=True) as pool:
 *         slow = ...                                   # the pid of one worker
 *         pool.map(partial(work, slow), range(600), progress_bar=True)
 *         pool.print_insights()
 * }</pre>
 */
public final class PoolProgress {
    private static final int ITEMS = 600;

    private PoolProgress() {}

    /** 60 ms against 1: a chunk of the fast worker stalled by a busy machine stays far below a slow one's. */
    static int work(long slowPid, int x) {
        Work.sleep(Work.pid() == slowPid ? 60 : 1);
        if (x % 100 == 0) {
            System.out.println("worker " + Work.pid() + ": item " + x);
        }
        return x * x;
    }

    public static void main(String[] args) {
        System.out.println("main: pid=" + Work.pid());
        try (ProcessPool pool = Multiprocessing.local().poolBuilder().processes(2).insights(true).build()) {
            long slow = pool.apply(Work::pid); // one worker, whichever answers first, is the slow one
            System.out.println("main: worker " + slow + " is the slow one");
            List<Integer> items = IntStream.range(0, ITEMS).boxed().toList();
            List<Integer> squares = pool.withProgress(ProgressListener.consoleBar())
                    .map((Integer x) -> work(slow, x), items, 5);
            System.out.println("main: map returned " + squares.size() + " squares, the last " + squares.getLast());
            pool.printInsights();
        }
    }
}
