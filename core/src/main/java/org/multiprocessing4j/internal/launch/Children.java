package org.multiprocessing4j.internal.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ChildProcess;

/**
 * The children this JVM started and has not yet seen end, and the rules for them at this JVM's exit,
 * which are Python's:
 * <ul>
 *   <li>while a non-daemon child runs, a non-daemon thread keeps this JVM alive, so a {@code main}
 *       that returns waits for its non-daemon children as Python's main process does;</li>
 *   <li>at exit (a shutdown hook) daemon children and spares are terminated: SIGTERM, then SIGKILL
 *       after {@link #DAEMON_GRACE};</li>
 *   <li>non-daemon children still running when this JVM is forced down ({@code System.exit}, a signal)
 *       read end-of-file on their control channel and halt.</li>
 * </ul>
 *
 * <p><b>Concurrency.</b> The maps are concurrent; the keep-alive count is guarded by {@code Children.class}.
 */
public final class Children {
    private static final Duration DAEMON_GRACE = Duration.ofMillis(500);
    private static final Map<ChildProcess, LaunchedJvm> LIVE = new ConcurrentHashMap<>();
    private static final Map<ChildProcess, Boolean> DAEMONS = new ConcurrentHashMap<>();
    private static final Set<LaunchedJvm> SPARES = ConcurrentHashMap.newKeySet();
    private static int nonDaemonAlive; // guarded by Children.class
    private static boolean hookInstalled; // guarded by Children.class

    private Children() {}

    public static void add(ChildProcess process, LaunchedJvm jvm, boolean daemon) {
        installHook();
        LIVE.put(process, jvm);
        if (daemon) {
            DAEMONS.put(process, Boolean.TRUE);
        } else {
            keepAlive(+1);
        }
        jvm.exited().whenComplete((j, e) -> {
            LIVE.remove(process);
            if (DAEMONS.remove(process) == null) {
                keepAlive(-1);
            }
        });
    }

    static void addSpare(LaunchedJvm spare) {
        installHook();
        SPARES.add(spare);
        spare.exited().whenComplete((j, e) -> SPARES.remove(spare));
    }

    /** The children still running, in no particular order (Python's {@code active_children()}). */
    public static List<ChildProcess> active() {
        List<ChildProcess> alive = new ArrayList<>();
        LIVE.forEach((process, jvm) -> {
            if (jvm.isAlive()) {
                alive.add(process);
            }
        });
        return alive;
    }

    private static synchronized void keepAlive(int delta) {
        nonDaemonAlive += delta;
        if (nonDaemonAlive == 1 && delta > 0) {
            Thread.ofPlatform().daemon(false).name("mp4j-wait-for-children").start(Children::waitForNonDaemons);
        } else if (nonDaemonAlive == 0) {
            Children.class.notifyAll();
        }
    }

    private static void waitForNonDaemons() {
        synchronized (Children.class) {
            while (nonDaemonAlive > 0) {
                try {
                    Children.class.wait();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Children::terminateDaemons, "mp4j-terminate-daemons"));
        }
    }

    private static void terminateDaemons() {
        List<LaunchedJvm> doomed = new ArrayList<>(SPARES);
        DAEMONS.keySet().forEach(p -> {
            LaunchedJvm jvm = LIVE.get(p);
            if (jvm != null) {
                doomed.add(jvm);
            }
        });
        doomed.forEach(LaunchedJvm::terminate);
        long deadline = System.nanoTime() + DAEMON_GRACE.toNanos();
        for (LaunchedJvm jvm : doomed) {
            try {
                jvm.exited().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                jvm.kill();
            }
        }
    }
}
