package org.multiprocessing4j.internal.manager;

import java.io.Serial;

/**
 * The methods a proxy of a shared collection ({@link CollectionProxy}) and of a shared map
 * ({@link DictProxy}) have alike, each run on the server's object.
 */
abstract class ContainerProxy extends RemoteObject {
    @Serial
    private static final long serialVersionUID = 1L;

    ContainerProxy(Calls calls, String id) {
        super(calls, id);
    }

    public int size() {
        return (Integer) call("size()");
    }

    public boolean isEmpty() {
        return (Boolean) call("isEmpty()");
    }

    public void clear() {
        call("clear()");
    }
}
