package org.multiprocessing4j.internal.manager;

import java.lang.ref.Cleaner;

/**
 * The client's half of reference counting ({@link ObjectTable}): every proxy of a shared object holds
 * one reference on the server, from its making or deserialization until it is released or becomes
 * unreachable, when a {@link Cleaner} drops it (Python's {@code BaseProxy._incref} and its finalizer).
 *
 * <p>A proxy deserialized in the server's own process counts in the server's table directly, under
 * {@link ObjectTable#SERVER} (a list stored in a dict is held by the dict's server); elsewhere it counts
 * over its endpoint's reference connection ({@link Endpoint#adopt}). The messages go in order, in the
 * background: nothing here waits on the network, so serializing or deserializing a proxy never blocks.
 */
final class References {
    private References() {}

    /** Created on first use: a process that never holds a proxy starts no cleaner thread. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("mp4j-manager-cleaner", 0).factory());
    }

    /** Tracks {@code proxy}, whose reference the server has counted already (it was just created). */
    static Cleaner.Cleanable created(Object proxy, Endpoint endpoint, String id) {
        return Holder.CLEANER.register(proxy, new Remote(endpoint, id));
    }

    /**
     * Counts a reference for {@code proxy}, just deserialized, and tracks it; null if the server here
     * has no such object any more (its calls then fail, naming the id).
     */
    static Cleaner.Cleanable adopted(Object proxy, String address, String id) {
        ObjectTable local = ObjectTable.local(address);
        if (local != null) {
            try {
                local.adopt(ObjectTable.SERVER, id);
            } catch (IllegalArgumentException freed) {
                return null;
            }
            return Holder.CLEANER.register(proxy, new Local(local, id));
        }
        Endpoint endpoint = Endpoint.of(address);
        endpoint.adopt(id);
        return Holder.CLEANER.register(proxy, new Remote(endpoint, id));
    }

    /** A proxy of {@code id} is being serialized: its object must outlive the trip. */
    static void sent(String address, String id) {
        ObjectTable local = ObjectTable.local(address);
        if (local != null) {
            local.send(id);
        } else {
            Endpoint.of(address).send(id);
        }
    }

    /* Cleaner actions: they hold the endpoint and the id, never the proxy. */

    private record Remote(Endpoint endpoint, String id) implements Runnable {
        @Override
        public void run() {
            endpoint.release(id);
        }
    }

    private record Local(ObjectTable table, String id) implements Runnable {
        @Override
        public void run() {
            table.release(ObjectTable.SERVER, id);
        }
    }
}
