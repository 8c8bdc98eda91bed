package org.multiprocessing4j.internal.shm;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Links the futex binding ({@link Futex#prepare}) on a thread of its own, once per JVM, without making
 * the caller wait: {@link Futex}'s initialization links a downcall handle, a class the FFM linker spins
 * at run time, 85–100 ms of a JVM without an AOT cache (a program's own) and 25–40 ms of a child with
 * one. A program's first queue, lock or shared value creates a segment and starts this; the binding is
 * needed at the first wait or wake, usually later, and whoever needs it sooner waits for the
 * initialization under way (the JVM's class initialization lock), never repeats it.
 *
 * <p>If the linking fails (a C library without {@code syscall}), the first real use of {@code Futex}
 * throws {@code NoClassDefFoundError}, whose cause is the failure this thread met.
 *
 * <p>A class of its own, holding no reference to {@link Futex}'s state: calling {@link #start} does not
 * initialize {@code Futex} on the caller's thread. A plain class rather than a lambda: this runs on
 * start-up paths, where a lambda's first linkage costs milliseconds.
 */
public final class FutexWarmUp implements Runnable {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final long STACK_SIZE = 256 * 1024;
    /** The linking thread, once started. */
    private static volatile Thread linking;
    /** Whether the linking is over (done, or failed: then the first real use reports it). */
    private static volatile boolean linked;

    private FutexWarmUp() {}

    /** Starts the linking, if no call has started it before. */
    public static void start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread thread = new Thread(null, new FutexWarmUp(), "mp4j-futex-link", STACK_SIZE);
            thread.setDaemon(true);
            linking = thread;
            thread.start();
        }
    }

    /**
     * For a virtual thread about to use the binding: waits, parked, until the linking is over (starting it
     * if nobody has), rather than waiting pinned to its carrier for the class initialization the linking
     * thread holds. Keeps the caller's interrupt status.
     */
    static void awaitLinked() {
        if (linked) {
            return;
        }
        start();
        Thread thread = linking;
        boolean interrupted = false;
        while (thread != null && thread != Thread.currentThread() && !linked) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            Futex.prepare();
        } catch (RuntimeException | LinkageError e) {
            // a warm-up only: the first real use of Futex meets the failure and reports it
        } finally {
            linked = true;
        }
    }
}
