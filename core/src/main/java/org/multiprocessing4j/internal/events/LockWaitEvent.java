package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A lock acquisition across processes that had to wait. */
@Name("org.multiprocessing4j.LockWait")
@Label("Process Lock Wait")
@Category({"multiprocessing4j", "Synchronization"})
@Description("Acquiring a process lock that waited longer than the threshold")
@Threshold("10 ms")
public final class LockWaitEvent extends Event {
    @Label("Lock")
    public String lock;

    @Label("Acquired")
    @Description("False if the wait timed out or was interrupted")
    public boolean acquired;
}
