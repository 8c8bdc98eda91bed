package org.multiprocessing4j.internal.shared;

import java.util.HashMap;
import java.util.Map;
import org.multiprocessing4j.internal.shm.Kinds;

/**
 * The shared values and arrays this process has attached, by segment name: deserializing one that is
 * attached already returns the same object (and takes no second slot in the segment's attach table).
 */
final class Attachments {
    private static final Map<String, SharedStructure> BY_NAME = new HashMap<>(); // guarded by Attachments.class

    private Attachments() {}

    static synchronized void register(SharedStructure structure) {
        BY_NAME.put(structure.name(), structure);
    }

    static synchronized void forget(SharedStructure structure) {
        BY_NAME.remove(structure.name(), structure);
    }

    /** The structure {@code name} of {@code kind} in this process: attached already, or opened now. */
    static synchronized SharedStructure attach(int kind, String name) {
        SharedStructure attached = BY_NAME.get(name);
        if (attached != null && !attached.isClosed()) {
            if (attached.kind() != kind) {
                throw new IllegalStateException("segment '" + name + "' is attached here as another kind ("
                        + attached.kind() + ", not " + kind + ")");
            }
            return attached;
        }
        SharedStructure opened = switch (kind) {
            case Kinds.LONG -> ShmLong.open(name);
            case Kinds.DOUBLE -> ShmDouble.open(name);
            case Kinds.INT_ARRAY -> ShmIntArray.open(name);
            case Kinds.LONG_ARRAY -> ShmLongArray.open(name);
            case Kinds.DOUBLE_ARRAY -> ShmDoubleArray.open(name);
            default -> throw new IllegalStateException("not a shared value or array: kind " + kind);
        };
        BY_NAME.put(name, opened);
        return opened;
    }
}
