package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** In the pool's process: a task from submission to its outcome. */
@Name("org.multiprocessing4j.PoolTask")
@Label("Pool Task")
@Category({"multiprocessing4j", "Pool"})
@Description("A pool task from submission to completion, failure or cancellation")
@StackTrace(false)
public final class PoolTaskEvent extends Event {
    @Label("Task id")
    public long taskId;

    @Label("Kind")
    @Description("call (a callable), captured (a lambda with captured values) or chunk (map items)")
    public String kind;

    @Label("Outcome")
    @Description("completed, failed or cancelled")
    public String outcome;

    @Label("Failure")
    public String failure;
}
