package org.multiprocessing4j.internal.launch.training;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;

/**
 * A queue's traffic in miniature, for the AOT cache's training run only (as the pool's
 * {@code Rehearsal}): ints, 1 KiB arrays and a joinable queue's {@code taskDone} through small rings,
 * producer and consumer on two threads, so that the cache carries the queue's classes and its method
 * profiles (JEP 515) and a child's queue code is compiled early instead of during its first
 * thousands of elements.
 */
final class QueueRehearsal {
    private static final int ITEMS = 20_000;
    private static final int CAPACITY = 256;

    private QueueRehearsal() {}

    static void run() {
        Context ctx = Multiprocessing.local();
        try (ProcessQueue<Object> values = ctx.queue(CAPACITY); JoinableQueue<Object> jobs = ctx.joinableQueue(CAPACITY)) {
            byte[] kib = new byte[1024];
            Thread producer = Thread.ofPlatform().daemon(true).name("rehearsal-producer").start(() -> {
                try {
                    for (int i = 0; i < ITEMS; i++) {
                        values.put(i);
                        values.put(kib);
                        jobs.put(i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < ITEMS; i++) { // in the producer's order: no queue waits on a full other
                values.take();
                values.take();
                jobs.take();
                jobs.taskDone();
            }
            jobs.join();
            producer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a rehearsal that fails leaves the cache a little colder, nothing else
        }
    }
}
