package org.multiprocessing4j.internal.shared;

import java.lang.foreign.MemorySegment;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * Creating and opening a structure's segment with its lock, undoing what was done when a step fails:
 * a failed create leaves no segment and no lock behind.
 */
final class Structures {
    private Structures() {}

    /**
     * A new segment of {@code kind} with a payload of {@code size}, initialized by {@code init(payload,
     * lockRef)}, and the structure {@code make} builds on it; registered in this process.
     */
    static <T extends SharedStructure> T create(String prefix, int kind, long size,
            BiFunction<MemorySegment, byte[], Void> init, BiFunction<Segment, ShmLock, T> make) {
        SharedLocks.Created lock = SharedLocks.create();
        Segment segment = null;
        try {
            segment = Segment.create(Segments.newName(prefix), kind, size);
            init.apply(segment.payload(), lock.ref());
            T structure = make.apply(segment, lock.lock());
            return structure;
        } catch (RuntimeException | Error e) {
            closeQuietly(lock.lock(), e);
            if (segment != null) {
                segment.unlink();
                segment.close();
            }
            throw e;
        }
    }

    /**
     * Opens segment {@code name} of {@code kind}, checks its payload with {@code check}, attaches its
     * lock ({@code lockRef} reads the reference), and builds the structure.
     */
    static <T extends SharedStructure> T open(String name, int kind, Consumer<MemorySegment> check,
            Function<MemorySegment, byte[]> lockRef, BiFunction<Segment, ShmLock, T> make) {
        Segment segment = Segment.open(name, kind);
        ShmLock lock = null;
        try {
            MemorySegment payload = segment.payload();
            check.accept(payload);
            lock = SharedLocks.attach(lockRef.apply(payload), name);
            return make.apply(segment, lock);
        } catch (RuntimeException | Error e) {
            closeQuietly(lock, e);
            segment.close();
            throw e;
        }
    }

    /** A new handle on the structure {@code name} of {@code kind}, deserialized in this process. */
    static SharedStructure attach(int kind, String name) {
        return switch (kind) {
            case Kinds.LONG -> ShmLong.open(name);
            case Kinds.DOUBLE -> ShmDouble.open(name);
            case Kinds.INT_ARRAY -> ShmIntArray.open(name);
            case Kinds.LONG_ARRAY -> ShmLongArray.open(name);
            case Kinds.DOUBLE_ARRAY -> ShmDoubleArray.open(name);
            default -> throw new IllegalStateException("not a shared value or array: kind " + kind);
        };
    }

    private static void closeQuietly(AutoCloseable c, Throwable failure) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
