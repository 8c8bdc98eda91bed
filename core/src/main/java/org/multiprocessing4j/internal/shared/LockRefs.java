package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * The lock reference area of a value's or an array's layout: length-prefixed bytes, written once by
 * the creator before MAGIC is published, read by every opener after MAGIC.
 */
final class LockRefs {
    private LockRefs() {}

    static void write(MemorySegment payload, long lengthOffset, long offset, int capacity, byte[] ref) {
        if (ref.length > capacity) {
            throw new IllegalStateException("a lock reference of " + ref.length + " bytes does not fit in " + capacity);
        }
        MemorySegment.copy(ref, 0, payload, JAVA_BYTE, offset, ref.length);
        payload.set(JAVA_INT, lengthOffset, ref.length);
    }

    static byte[] read(MemorySegment payload, long lengthOffset, long offset, int capacity) {
        int length = payload.get(JAVA_INT, lengthOffset);
        if (length < 0 || length > capacity) {
            throw new IllegalStateException("damaged lock reference: " + length + " bytes");
        }
        byte[] ref = new byte[length];
        MemorySegment.copy(payload, JAVA_BYTE, offset, ref, 0, length);
        return ref;
    }
}
