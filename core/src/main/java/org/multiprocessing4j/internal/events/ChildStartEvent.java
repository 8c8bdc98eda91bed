package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** In the parent: from launching a child JVM to its target's first instruction (or its early exit). */
@Name("org.multiprocessing4j.ChildStart")
@Label("Child JVM Start")
@Category({"multiprocessing4j", "Processes"})
@Description("A child JVM from launch to the moment its target starts")
@StackTrace(false)
public final class ChildStartEvent extends Event {
    @Label("Child pid")
    public long pid;

    @Label("Warm spare")
    @Description("Whether an already booted JVM was handed the target")
    public boolean spare;

    @Label("Target started")
    @Description("False if the JVM ended before its target started")
    public boolean started;
}
