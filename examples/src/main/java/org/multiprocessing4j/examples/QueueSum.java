package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;

/**
 * One number passed from process to process through a queue: seed 001 §7.1 ("进程间的通信(Queue)").
 * The queue holds 100; ten processes each take it, add 1 and put it back. {@code get} blocks while
 * another process holds the number, so the queue itself serializes them: no update is lost, and the
 * main process reads 110 at the end.
 *
 * <p>The Python original (the child's {@code time.sleep(5)} shortened):
 * <pre>{@code
 * def sub_process_run(name, q):
 *     print(f'子进程的名字:{name}')
 *     print(f'子进程ID是:{os.getpid()}')
 *     time.sleep(5)
 *     a = q.get()       # take the data out of the queue
 *     a += 1
 *     q.put(a)
 *     print(f'子进程{os.getpid()}结束,a的值为{a}')
 *
 * if __name__ == '__main__':
 *     q = Queue()
 *     q.put(100)        # put the data into the queue
 *     pl = []
 *     for i in range(10):
 *         p = Process(target=sub_process_run, args=(f'进程{i}', q))
 *         p.start()
 *         pl.append(p)
 *     for p in pl:
 *         p.join()
 *     print('主进程结束')
 * }</pre>
 */
public final class QueueSum {
    /** How many processes add 1. */
    static final int PROCESSES = 10;

    private QueueSum() {}

    /** The target: takes the number, adds 1, puts it back. */
    static void subProcessRun(String name, ProcessQueue<Integer> q) {
        Work.sleep(100);
        int a = Work.take(q);
        a += 1;
        Work.put(q, a);
        System.out.println(name + " pid=" + Work.pid() + ": took " + (a - 1) + ", put back " + a);
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        System.out.println("main: pid=" + Work.pid());
        try (ProcessQueue<Integer> q = ctx.queue()) {
            Work.put(q, 100);
            System.out.println("main: put 100 into the queue");
            List<ChildProcess> pl = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                String name = "process-" + i;
                pl.add(ctx.process(() -> subProcessRun(name, q)).name(name).start());
            }
            pl.forEach(ChildProcess::join);
            System.out.println("main: " + PROCESSES + " processes each added 1; the queue holds " + q.size()
                    + " element, and it is " + Work.take(q));
            System.out.println("main ends");
        }
    }
}
