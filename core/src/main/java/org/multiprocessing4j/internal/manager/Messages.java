package org.multiprocessing4j.internal.manager;

import java.io.Serializable;

/**
 * What travels between a proxy and the manager server over a {@link org.multiprocessing4j.Connection}:
 * one {@link Call}, then one {@link Reply}, then the next call. A connection carries one call at a time.
 * Their bytes are {@link CallCodec}'s.
 */
final class Messages {
    private Messages() {}

    /** Calls the method {@code signature} ({@code name(type,…)}) of shared object {@code objectId}. */
    record Call(String objectId, String signature, Object[] args) {}

    /** A call's outcome: {@code error} when it threw, else {@code value}. */
    record Reply(Object value, Throwable error) {
        static Reply ok(Object value) {
            return new Reply(value, null);
        }

        static Reply failed(Throwable error) {
            return new Reply(null, error);
        }
    }

    /** A shared object on the server: its id and the interface its proxies implement. */
    record Ref(String id, String typeId, String iface) implements Serializable {}
}
