package org.multiprocessing4j.examples;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;

/**
 * Daemon processes: seed 004 ("守护进程"). A daemon ends when the main process ends, even in the
 * middle of its task, while a non-daemon child is waited for; and a daemon may not start children
 * ("daemonic processes are not allowed to have children").
 *
 * <p>The Python original:
 * <pre>{@code
 * def task(name):
 *     print("%s is running" % name)
 *     time.sleep(3)
 *
 * if __name__ == "__main__":
 *     p = Process(target=task, args=("duoduo",))
 *     p.daemon = True   # before p.start(): p may not have children, and ends when the main code ends
 *     p.start()
 *     print("----------------->")
 * }</pre>
 *
 * <p>Here {@code main} returns while the daemon is still in its long task; the JVM waits for the
 * non-daemon worker (as Python's main process does), then terminates the daemon. A shutdown hook of
 * this program watches that happen and prints the daemon's exit code.
 */
public final class DaemonExample {
    private static final long DAEMON_TASK_MILLIS = 30_000;
    private static final long WORKER_TASK_MILLIS = 1_000;
    private static final Duration WATCH_LIMIT = Duration.ofSeconds(10);

    private DaemonExample() {}

    /** Target of the first daemon: tries, and fails, to have a child of its own. */
    static void tryToHaveAChild() {
        try {
            Multiprocessing.local().process(() -> System.out.println("never printed")).start();
            System.out.println("daemon: started a child (this should not happen)");
        } catch (IllegalStateException e) {
            System.out.println("daemon: start() refused: IllegalStateException: " + e.getMessage());
        }
    }

    /** Target of the second daemon: a task far longer than the main program. */
    static void task(String name) {
        System.out.println(name + " is running: daemon pid=" + Work.pid() + ", a "
                + DAEMON_TASK_MILLIS / 1000 + " s task");
        Work.sleep(DAEMON_TASK_MILLIS);
        System.out.println(name + ": daemon finished its task (this should not happen)");
    }

    /** Target of the non-daemon worker. */
    static void work() {
        Work.sleep(WORKER_TASK_MILLIS);
        System.out.println("worker: non-daemon pid=" + Work.pid() + " finished its task; the main JVM waited for it");
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        showDaemonsHaveNoChildren(ctx);

        ChildProcess daemon = ctx.process(() -> task("duoduo")).name("duoduo").daemon(true).start();
        ChildProcess worker = ctx.process(DaemonExample::work).name("worker").start();
        watchAtExit(daemon);
        System.out.println("----------------->");
        System.out.println("main: active children: " + Multiprocessing.activeChildren().size()
                + " (daemon pid=" + daemon.pid() + ", worker pid=" + worker.pid() + ")");
        System.out.println("main: main() returns now; the JVM waits for the worker, then ends the daemon");
    }

    private static void showDaemonsHaveNoChildren(Context ctx) {
        ChildProcess lonely = ctx.process(DaemonExample::tryToHaveAChild).name("lonely-daemon").daemon(true);
        lonely.start();
        lonely.join();
        System.out.println("main: lonely-daemon exited with code " + lonely.exitCode().orElseThrow());
    }

    /**
     * Registers a shutdown hook that waits for the daemon to be terminated. Shutdown hooks run
     * concurrently, so this one sees the library's own hook end the daemon.
     */
    private static void watchAtExit(ChildProcess daemon) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.onExit().get(WATCH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                System.out.println("at exit: daemon pid=" + daemon.pid() + " was ended with the main process,"
                        + " exit code " + daemon.exitCode().orElseThrow());
            } catch (TimeoutException e) {
                System.out.println("at exit: daemon pid=" + daemon.pid() + " is still alive after " + WATCH_LIMIT);
            } catch (InterruptedException | ExecutionException e) {
                System.out.println("at exit: could not watch the daemon: " + e);
            }
        }, "watch-daemon"));
    }
}
