package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** In the parent: a child JVM's whole life, committed when it has exited. */
@Name("org.multiprocessing4j.ChildExit")
@Label("Child JVM Exit")
@Category({"multiprocessing4j", "Processes"})
@Description("A child JVM's life from launch to exit, with its exit code (negative: killed by that signal)")
@StackTrace(false)
public final class ChildExitEvent extends Event {
    @Label("Child pid")
    public long pid;

    @Label("Exit code")
    @Description("Python's convention: -N when killed by signal N")
    public int exitCode;

    @Label("Target started")
    public boolean started;
}
