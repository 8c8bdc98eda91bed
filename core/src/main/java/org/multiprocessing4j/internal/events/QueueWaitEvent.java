package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A queue operation that blocked: a put on a full queue, a take or timed poll on an empty one. */
@Name("org.multiprocessing4j.QueueWait")
@Label("Queue Wait")
@Category({"multiprocessing4j", "Queues"})
@Description("A blocking queue operation that waited longer than the threshold")
@Threshold("10 ms")
public final class QueueWaitEvent extends Event {
    @Label("Queue")
    public String queue;

    @Label("Operation")
    public String operation;
}
