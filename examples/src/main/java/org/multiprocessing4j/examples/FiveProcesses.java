package org.multiprocessing4j.examples;

import java.util.LinkedHashSet;
import java.util.Set;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;

/**
 * Five processes, each started and joined before the next: seed 002 ("multiprocess 模块", 1. process).
 * {@code join()} right after {@code start()} makes them run one after another, each in a new JVM with
 * its own pid.
 *
 * <p>The Python original:
 * <pre>{@code
 * def run_task(name):
 *     print "Child process %s(%s) is running." % (name, os.getpid())
 *
 * if __name__ == "__main__":
 *     print "Current process %s." % os.getpid()
 *     for i in range(5):
 *         p = Process(target=run_task, args=(str(i), ))
 *         p.start()
 *         p.join()
 *     print "Waiting for subprocess done"
 * }</pre>
 */
public final class FiveProcesses {
    private static final int PROCESSES = 5;

    private FiveProcesses() {}

    /** The target: runs in each child JVM. */
    static void runTask(String name) {
        System.out.println("Child process " + name + " (pid=" + Work.pid() + ") is running.");
    }

    public static void main(String[] args) {
        System.out.println("Current process pid=" + Work.pid() + ".");
        Context ctx = Multiprocessing.local();
        Set<Long> pids = new LinkedHashSet<>();
        for (int i = 0; i < PROCESSES; i++) {
            String name = Integer.toString(i);
            ChildProcess p = ctx.process(() -> runTask(name)).start();
            p.join();
            pids.add(p.pid());
        }
        System.out.println("Waiting for subprocess done");
        System.out.println("main: " + PROCESSES + " children ran one after another, " + pids.size()
                + " distinct pids " + pids);
    }
}
