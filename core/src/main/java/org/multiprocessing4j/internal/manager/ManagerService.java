package org.multiprocessing4j.internal.manager;

import org.multiprocessing4j.SerializableSupplier;

/** The manager server's own methods: shared object {@value ManagerServer#ROOT}. */
interface ManagerService {
    Messages.Ref create(String typeId);

    /** A built-in object made from one argument: "semaphore", "boundedSemaphore" (permits), "value". */
    Messages.Ref createWith(String kind, Object argument);

    void register(String typeId, SerializableSupplier<?> factory, String iface);

    /** The interface of a registered type, or null. */
    String interfaceOf(String typeId);

    void shutdown();

    String ping();
}
