package org.multiprocessing4j.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;

/**
 * Producers that wait until their items are consumed, and daemon consumers that need no end signal:
 * seed 004 ({@code JoinableQueue}). Three producer processes put 10 items each and then {@code join()}
 * the queue, which returns only when every item put has had its {@code task_done()}; two daemon consumer
 * processes take forever and call {@code task_done()} after each item. The main process joins the
 * producers: once they are done, every item has been consumed, so the consumers (daemons) simply end
 * with the main process.
 *
 * <p>To show it from the main process, each consumer also puts a report of what it ate into a second
 * queue before its {@code taskDone()}; the main process reads all 30 reports once the producers are joined.
 *
 * <p>The Python original (with the seed's random sleeps left out):
 * <pre>{@code
 * def consumer(q, reports):
 *     while True:
 *         res = q.get()
 *         print('%s 吃 %s' % (os.getpid(), res))
 *         q.task_done()   # tells q.join() one more item has been dealt with
 *
 * def producer(name, q):
 *     for i in range(10):
 *         res = '%s%s' % (name, i)
 *         q.put(res)
 *         print('%s 生产了 %s' % (os.getpid(), res))
 *     q.join()            # waits until the consumers have dealt with everything put
 *
 * if __name__ == '__main__':
 *     q = JoinableQueue()
 *     p1 = Process(target=producer, args=('包子', q))
 *     p2 = Process(target=producer, args=('骨头', q))
 *     p3 = Process(target=producer, args=('泔水', q))
 *     c1 = Process(target=consumer, args=(q,))
 *     c2 = Process(target=consumer, args=(q,))
 *     c1.daemon = True
 *     c2.daemon = True
 *     for p in [p1, p2, p3, c1, c2]:
 *         p.start()
 *     p1.join()
 *     p2.join()
 *     p3.join()
 *     print('主')
 * }</pre>
 */
public final class JoinableQueueConsumers {
    /** The seed's three kinds of food (包子, 骨头, 泔水), one per producer. */
    static final List<String> FOODS = List.of("bun", "bone", "swill");
    /** Items each producer puts. */
    static final int EACH = 10;
    private static final Duration WATCH_LIMIT = Duration.ofSeconds(10);

    private JoinableQueueConsumers() {}

    /** A producer's target: puts its items, then waits until all items put are done. */
    static void producer(String name, JoinableQueue<String> q) {
        for (int i = 0; i < EACH; i++) {
            Work.put(q, name + "-" + i);
        }
        System.out.println("producer " + name + " pid=" + Work.pid() + ": put " + EACH + " items, now join()s the queue");
        try {
            q.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in join()", e);
        }
        System.out.println("producer " + name + " pid=" + Work.pid() + ": join() returned, every item put was done");
    }

    /** A consumer's target: takes forever, {@code taskDone()} after each item. */
    static void consumer(JoinableQueue<String> q, ProcessQueue<String> reports) {
        while (true) {
            String item = Work.take(q);
            System.out.println("consumer pid=" + Work.pid() + " ate " + item);
            Work.put(reports, "consumer pid=" + Work.pid() + " ate " + item);
            q.taskDone();
        }
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        System.out.println("main: pid=" + Work.pid());
        try (JoinableQueue<String> q = ctx.joinableQueue(); ProcessQueue<String> reports = ctx.queue()) {
            List<ChildProcess> producers = FOODS.stream()
                    .map(food -> ctx.process(() -> producer(food, q)).name("producer-" + food))
                    .toList();
            List<ChildProcess> consumers = List.of(
                    ctx.process(() -> consumer(q, reports)).name("consumer-1").daemon(true),
                    ctx.process(() -> consumer(q, reports)).name("consumer-2").daemon(true));
            producers.forEach(ChildProcess::start);
            consumers.forEach(ChildProcess::start);
            for (ChildProcess c : consumers) {
                System.out.println("main: started daemon consumer pid=" + c.pid());
                watchAtExit(c);
            }
            for (ChildProcess p : producers) {
                p.join();
                System.out.println("main: joined " + p.name() + " pid=" + p.pid() + ", exit code " + p.exitCode().orElseThrow());
            }
            List<String> eaten = new ArrayList<>();
            reports.drainTo(eaten);
            eaten.forEach(r -> System.out.println("main: report: " + r));
            System.out.println("main: all producers joined, so all " + FOODS.size() * EACH + " items were consumed: "
                    + eaten.size() + " reports; "
                    + "consumers alive: " + consumers.stream().allMatch(ChildProcess::isAlive));
        }
        System.out.println("main ends; the daemon consumers end with it");
    }

    /** Registers a shutdown hook that waits for a daemon consumer to be ended with the main process. */
    private static void watchAtExit(ChildProcess daemon) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.onExit().get(WATCH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                System.out.println("at exit: daemon consumer pid=" + daemon.pid() + " was ended with the main process,"
                        + " exit code " + daemon.exitCode().orElseThrow());
            } catch (TimeoutException e) {
                System.out.println("at exit: daemon consumer pid=" + daemon.pid() + " is still alive after " + WATCH_LIMIT);
            } catch (InterruptedException | ExecutionException e) {
                System.out.println("at exit: could not watch the daemon consumer: " + e);
            }
        }, "watch-" + daemon.name()));
    }
}
