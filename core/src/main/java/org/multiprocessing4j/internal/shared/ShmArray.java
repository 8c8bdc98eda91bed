package org.multiprocessing4j.internal.shared;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * What the shared arrays share: the length (checked against the segment on attach) and the elements'
 * slice of the payload ({@link SharedArrayLayout}); an index is checked before its offset is used.
 */
abstract class ShmArray extends SharedStructure {
    @Serial
    private static final long serialVersionUID = 1L;

    final transient int length;
    /** The elements: {@code length × elementBytes} bytes from {@code ELEMENTS_OFFSET}. */
    final transient MemorySegment elements;

    ShmArray(Segment segment, ShmLock lock, int elementBytes) {
        super(segment, lock);
        this.length = (int) segment.payload().get(java.lang.foreign.ValueLayout.JAVA_LONG, SharedArrayLayout.LENGTH_OFFSET);
        this.elements = payload.asSlice(SharedArrayLayout.ELEMENTS_OFFSET, (long) length * elementBytes);
    }

    static int requireLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be ≥ 0, was " + length);
        }
        return length;
    }

    public final int length() {
        return length;
    }

    /** Element {@code i}'s byte offset in {@link #elements}, for elements of {@code 1 << shift} bytes. */
    final long offset(int i, int shift) {
        return (long) Objects.checkIndex(i, length) << shift;
    }
}
