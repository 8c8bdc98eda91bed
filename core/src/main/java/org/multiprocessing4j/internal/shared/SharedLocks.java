package org.multiprocessing4j.internal.shared;

import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * The lock that comes with every shared value and array (Python's {@code get_lock()}): made with the
 * structure, reentrant as Python's default {@code RLock}, its segment's name kept in the structure's
 * layout (LOCK_REF), so that every process that attaches the structure attaches the same lock. Every
 * process attached to the structure is attached to the lock too, so the lock lives as long as the
 * structure.
 */
final class SharedLocks {
    private SharedLocks() {}

    /** A new lock and its reference (its name, UTF-8). */
    static Created create() {
        ShmLock lock = ShmLock.create(true);
        return new Created(lock, lock.name().getBytes(StandardCharsets.UTF_8));
    }

    /** Attaches the lock {@code ref} names, for the structure {@code owner}. */
    static ShmLock attach(byte[] ref, String owner) {
        if (ref.length == 0) {
            throw new IllegalStateException("shared structure '" + owner + "' has no lock reference");
        }
        return ShmLock.open(new String(ref, StandardCharsets.UTF_8));
    }

    record Created(ShmLock lock, byte[] ref) {}
}
