package org.multiprocessing4j.internal.events;

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
 */
public final class Events {
    private Events() {}

    /** Whether JFR has started in this JVM (after which events may be enabled by any recording). */
    public static boolean recording() {
        return FlightRecorder.isInitialized();
    }
}
