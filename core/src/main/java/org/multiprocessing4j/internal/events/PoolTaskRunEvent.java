package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** In a worker: one task's run, from its bytes to its result. */
@Name("org.multiprocessing4j.PoolTaskRun")
@Label("Pool Task Run")
@Category({"multiprocessing4j", "Pool"})
@Description("A pool task run in a worker, deserialization included")
@StackTrace(false)
public final class PoolTaskRunEvent extends Event {
    @Label("Kind")
    public String kind;

    @Label("Succeeded")
    public boolean succeeded;
}
