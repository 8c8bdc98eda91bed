package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** In the pool's process: a worker died while it ran a task, which fails with WorkerLostException. */
@Name("org.multiprocessing4j.WorkerLost")
@Label("Pool Worker Lost")
@Category({"multiprocessing4j", "Pool"})
@Description("A pool worker died while running a task; the task fails and the worker is replaced")
public final class WorkerLostEvent extends Event {
    @Label("Worker pid")
    public long pid;

    @Label("Exit code")
    @Description("Python's convention: -N when killed by signal N")
    public int exitCode;

    @Label("Task id")
    public long taskId;
}
