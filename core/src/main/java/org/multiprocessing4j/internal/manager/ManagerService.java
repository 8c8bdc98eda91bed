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

    /** One more reference to object {@code id}, held by the calling connection ({@link ObjectTable#adopt}). */
    void adopt(String id);

    /** Drops one of the calling connection's references to {@code id}; the last frees the object. */
    void release(String id);

    /** A proxy of {@code id} is being serialized: one reference in transit until it is adopted. */
    void send(String id);

    /** How many shared objects the server holds (besides its own): for tests and diagnostics. */
    int objectCount();

    void shutdown();

    String ping();
}
