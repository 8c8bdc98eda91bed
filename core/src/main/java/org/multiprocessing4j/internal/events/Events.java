package org.multiprocessing4j.internal.events;

import java.lang.invoke.MethodHandles;
import java.util.List;
import jdk.jfr.FlightRecorder;

/**
 * The library's JDK Flight Recorder events, named {@code org.multiprocessing4j.*}: a child JVM's start
 * and exit, pool tasks, lost workers, blocked queue operations, lock waits and manager calls, so that
 * {@code -XX:StartFlightRecording}, {@code jfr print} and JDK Mission Control show what the processes
 * did.
 *
 * <p><b>Cost.</b> Every hook first asks {@link #recording()}: one read of a static field until a
 * recording has started in this JVM, so a program that never records pays nothing measurable. With a
 * recording, the blocking events carry a threshold (10 ms by default, {@code @Threshold}), so only
 * waits worth looking at are written.
 *
 * <p><b>Virtual threads.</b> The first time a recording is seen, one thread loads and initializes every
 * event class while the others wait on this class's monitor, where a virtual thread unmounts; left to
 * the hooks, thousands of virtual threads would wait for one event class's initialization, each
 * pinning its carrier.
 */
public final class Events {
    private static volatile boolean prepared;

    private Events() {}

    /** Whether JFR has started in this JVM (after which events may be enabled by any recording). */
    public static boolean recording() {
        return FlightRecorder.isInitialized() && (prepared || prepare());
    }

    private static synchronized boolean prepare() {
        if (!prepared) {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (Class<?> type : List.of(ChildStartEvent.class, ChildExitEvent.class, PoolTaskEvent.class,
                    PoolTaskRunEvent.class, WorkerLostEvent.class, QueueWaitEvent.class, LockWaitEvent.class,
                    ManagerCallEvent.class)) {
                try {
                    lookup.ensureInitialized(type);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e); // the events live in this package
                }
            }
            prepared = true;
        }
        return true;
    }
}
