package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;

/**
 * A producer and a consumer process talking through a queue, ended by a poison pill: seed 001 §7.2
 * (a writer puts, a reader gets, {@code get} blocks while the queue is empty) and seed 004 ("生产者消费者
 * 模型", the producer puts {@code None} as the end signal, 结束信号). Both are child processes; the
 * consumer receives every item, in the order they were put, then the sentinel, and stops.
 *
 * <p>The Python original (seed 004, with the seed's random sleeps left out):
 * <pre>{@code
 * def consumer(q):
 *     while True:
 *         res = q.get()
 *         if res is None: break    # the end signal
 *         print('%s 吃 %s' % (os.getpid(), res))
 *
 * def producer(q):
 *     for i in range(10):
 *         res = '包子%s' % i
 *         q.put(res)
 *         print('%s 生产了 %s' % (os.getpid(), res))
 *     q.put(None)                  # send the end signal
 *
 * if __name__ == '__main__':
 *     q = Queue()
 *     p1 = Process(target=producer, args=(q,))
 *     c1 = Process(target=consumer, args=(q,))
 *     p1.start()
 *     c1.start()
 *     print('主')
 * }</pre>
 *
 * <p>The sentinel is the string {@value #SENTINEL} rather than {@code None}: a {@code null} element is
 * not allowed in a {@link java.util.concurrent.BlockingQueue}.
 */
public final class QueueProducerConsumer {
    /** The poison pill: the consumer stops when it takes it. */
    static final String SENTINEL = "DONE";
    /** How many items the producer makes. */
    static final int ITEMS = 10;

    private QueueProducerConsumer() {}

    /** The producer's target: puts the items, then the sentinel. */
    static void producer(ProcessQueue<String> q) {
        for (int i = 0; i < ITEMS; i++) {
            String item = "bun-" + i;
            Work.put(q, item);
            System.out.println("producer pid=" + Work.pid() + ": put " + item);
        }
        Work.put(q, SENTINEL);
        System.out.println("producer pid=" + Work.pid() + ": put the sentinel " + SENTINEL);
    }

    /** The consumer's target: takes until the sentinel, then reports what it received. */
    static void consumer(ProcessQueue<String> q) {
        List<String> received = new ArrayList<>();
        for (String item = Work.take(q); !SENTINEL.equals(item); item = Work.take(q)) {
            System.out.println("consumer pid=" + Work.pid() + ": took " + item);
            received.add(item);
        }
        System.out.println("consumer pid=" + Work.pid() + ": took the sentinel " + SENTINEL + " and stops");
        System.out.println("consumer: received " + received.size() + " items in order: " + received);
    }

    public static void main(String[] args) {
        run(Multiprocessing.local());
    }

    /** The program on {@code ctx}: {@code mp4j tour cluster} runs it unchanged on a cluster's context. */
    public static void run(Context ctx) {
        System.out.println("main: pid=" + Work.pid());
        try (ProcessQueue<String> q = ctx.queue()) {
            ChildProcess c1 = ctx.process(() -> consumer(q)).name("consumer").start();
            ChildProcess p1 = ctx.process(() -> producer(q)).name("producer").start();
            System.out.println("main: started producer pid=" + p1.pid() + " and consumer pid=" + c1.pid());
            p1.join();
            c1.join();
            System.out.println("main: producer exit code " + p1.exitCode().orElseThrow()
                    + ", consumer exit code " + c1.exitCode().orElseThrow() + ", items left in the queue: " + q.size());
        }
    }
}
