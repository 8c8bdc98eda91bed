package org.multiprocessing4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A call on a manager's shared object, as its client sees it: from encoding the call to its reply. */
@Name("org.multiprocessing4j.ManagerCall")
@Label("Manager Call")
@Category({"multiprocessing4j", "Managers"})
@Description("A call on a manager's shared object, in the client, that took longer than the threshold")
@Threshold("1 ms")
public final class ManagerCallEvent extends Event {
    @Label("Manager")
    @Description("The server's address")
    public String manager;

    @Label("Object")
    @Description("The shared object's id on the server (0: the manager itself)")
    public String object;

    @Label("Method")
    @Description("The method's signature")
    public String method;

    @Label("Succeeded")
    @Description("False if the call threw, on the server or on the way")
    public boolean succeeded;
}
