package org.multiprocessing4j.examples;

import java.util.concurrent.BlockingQueue;
import org.multiprocessing4j.ChildProcess;

/**
 * What the examples' processes do while they are alive: the seeds' {@code time.sleep(…)} (shortened, so
 * the whole tour runs in well under a minute), CPU-heavy work, and {@code os.getpid()}/{@code os.getppid()}.
 */
final class Work {
    private Work() {}

    /**
     * {@code time.sleep}, without the checked exception. An interrupt ends the sleep with an exception
     * rather than silently, so a process that is asked to stop does stop.
     */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping", e);
        }
    }

    /** {@code q.put(e)}, without the checked exception (an interrupt ends it, as in {@link #sleep}). */
    static <E> void put(BlockingQueue<E> q, E e) {
        try {
            q.put(e);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while putting", ex);
        }
    }

    /** {@code q.get()}, without the checked exception (an interrupt ends it, as in {@link #sleep}). */
    static <E> E take(BlockingQueue<E> q) {
        try {
            return q.take();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking", ex);
        }
    }

    /** {@code os.getpid()}: the operating system's id of this JVM. */
    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** {@code os.getppid()}: the operating system's id of the process that started this JVM. */
    static long ppid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /**
     * Counts the primes below {@code limit} by trial division: deliberately naive, so it keeps one CPU busy
     * and allocates nothing (the garbage collector would otherwise blur a CPU-bound measurement).
     */
    static int countPrimes(int limit) {
        int count = 0;
        for (int n = 2; n < limit; n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isPrime(int n) {
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** Seconds since {@code startNanos}, for the timings the examples print. */
    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
