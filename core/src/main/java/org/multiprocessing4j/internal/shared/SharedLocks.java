package org.multiprocessing4j.internal.shared;

/**
 * The lock that comes with every shared value and array (Python's {@code get_lock()}): made with the
 * structure, its serialized form kept in the structure's layout, so that every process that attaches
 * the structure attaches the same lock.
 */
final class SharedLocks {
    private SharedLocks() {}

    /** A new lock and its reference, or an empty reference while locks are not available. */
    static Created create() {
        return new Created(null, new byte[0]);
    }

    /** Attaches the lock {@code ref} names; {@code null} for an empty reference. */
    static AutoCloseable attach(byte[] ref, String owner) {
        if (ref.length == 0) {
            return null;
        }
        throw new IllegalStateException("shared structure '" + owner + "' has a lock this build cannot attach");
    }

    record Created(AutoCloseable lock, byte[] ref) {}
}
