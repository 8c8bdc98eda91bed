package org.multiprocessing4j.internal.launch;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * In a child: halts the JVM when the control channel reaches end-of-file, which means the parent is
 * gone (the kernel closed its end of the pipe, however it died).
 *
 * <p>A thread blocked in {@code read} is "in native", and the JVM's exit waits up to 300 ms for such
 * threads. So at exit a shutdown hook first wakes the watcher by writing one byte into the pipe
 * through {@code /proc/self/fd/0} (Linux lets a process open its pipe's write side there); the watcher,
 * seeing the exit under way, returns instead of halting.
 *
 * <p>Plain classes rather than lambdas: this runs on every child's start-up path, and a lambda's
 * first linkage costs milliseconds there.
 */
final class ParentWatch implements Runnable {
    /** Exit code of a child whose parent died. */
    static final int PARENT_DIED = 1;
    private static final long WAKE_WAIT_MILLIS = 100;
    private static final long STACK_SIZE = 128 * 1024;

    private final InputStream control;
    private final Thread watcher;
    private volatile boolean exiting;

    private ParentWatch(InputStream control) {
        this.control = control;
        this.watcher = new Thread(null, this, "mp4j-parent-watch", STACK_SIZE);
        this.watcher.setDaemon(true);
    }

    /** Loads this class and its shutdown hook's ({@link Preload}). */
    static void load() {
        Waker.class.getName();
    }

    static void start(InputStream control) {
        ParentWatch watch = new ParentWatch(control);
        Runtime.getRuntime().addShutdownHook(new Thread(null, new Waker(watch), "mp4j-wake-parent-watch", STACK_SIZE));
        watch.watcher.start();
    }

    @Override
    public void run() {
        byte[] sink = new byte[256];
        try {
            while (control.read(sink) >= 0) {
                if (exiting) {
                    return;
                }
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file
        }
        if (!exiting) {
            Runtime.getRuntime().halt(PARENT_DIED);
        }
    }

    private void wake() {
        exiting = true;
        try (FileOutputStream wake = new FileOutputStream("/proc/self/fd/0")) {
            wake.write(0);
            watcher.join(WAKE_WAIT_MILLIS);
        } catch (IOException e) {
            // no /proc: the exit only takes a little longer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shutdown hook. */
    private static final class Waker implements Runnable {
        private final ParentWatch watch;

        Waker(ParentWatch watch) {
            this.watch = watch;
        }

        @Override
        public void run() {
            watch.wake();
        }
    }
}
