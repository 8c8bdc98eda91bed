package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The payload of a shared array's segment ({@code Kinds.INT_ARRAY}, {@code LONG_ARRAY},
 * {@code DOUBLE_ARRAY}): a header, the reference to the array's lock, then the elements.
 *
 * <pre>
 *  0       8       12      16              24      28                      64
 *  +-------+-------+-------+---------------+-------+-----------------------+
 *  | MAGIC |VERSION|ELEMENT| LENGTH        |LOCKLEN| reserved              |  written once, at creation
 *  |       |       | BYTES |               |       |                       |
 *  +-------+-------+-------+---------------+-------+-----------------------+
 *  64                                                                      1024
 *  +-----------------------------------------------------------------------+
 *  | reserved to 128 | LOCK_REF[LOCKLEN]: the lock's serialized form       |  written once
 *  +-----------------------------------------------------------------------+
 *  1024 (ELEMENTS_OFFSET)
 *  +--------+--------+--------+-- … --+
 *  | [0]    | [1]    | [2]    |       |  LENGTH elements of ELEMENT_BYTES (4 or 8), little-endian
 *  +--------+--------+--------+-- … --+
 * </pre>
 *
 * <p>Element {@code i} is at {@code ELEMENTS_OFFSET + i × ELEMENT_BYTES}: naturally aligned, since the
 * payload starts on a page and ELEMENTS_OFFSET is a multiple of 64 (the first element also starts a
 * cache line). {@code double}s are stored as their raw IEEE-754 bits. The creator writes every field
 * and then MAGIC with release semantics; an opener reads MAGIC with acquire semantics before the rest,
 * and checks ELEMENT_BYTES and LENGTH against the segment's size.
 */
public final class SharedArrayLayout {
    public static final long MAGIC = 0x4d50344a41525231L; // "MP4JARR1"
    public static final int VERSION = 1;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long ELEMENT_BYTES_OFFSET = 12;
    public static final long LENGTH_OFFSET = 16;
    public static final long LOCK_REF_LENGTH_OFFSET = 24;
    public static final long LOCK_REF_OFFSET = 128;
    public static final int LOCK_REF_CAPACITY = 896;
    public static final long ELEMENTS_OFFSET = LOCK_REF_OFFSET + LOCK_REF_CAPACITY;

    private static final VarHandle LONG = JAVA_LONG.varHandle();

    static {
        if (ELEMENTS_OFFSET % 64 != 0) {
            throw new AssertionError("the elements must start a cache line");
        }
    }

    private SharedArrayLayout() {}

    /** The payload's size for {@code length} elements of {@code elementBytes}. */
    static long size(int length, int elementBytes) {
        return ELEMENTS_OFFSET + (long) length * elementBytes;
    }

    /** Writes a fresh header (the elements are zero: a new file is), then MAGIC (release). */
    static void initialize(MemorySegment payload, int length, int elementBytes, byte[] lockRef) {
        payload.set(JAVA_INT, VERSION_OFFSET, VERSION);
        payload.set(JAVA_INT, ELEMENT_BYTES_OFFSET, elementBytes);
        payload.set(JAVA_LONG, LENGTH_OFFSET, length);
        LockRefs.write(payload, LOCK_REF_LENGTH_OFFSET, LOCK_REF_OFFSET, LOCK_REF_CAPACITY, lockRef);
        LONG.setRelease(payload, MAGIC_OFFSET, MAGIC);
    }

    /** Checks MAGIC (acquire), VERSION and the element size of a payload being attached; its length. */
    static int check(MemorySegment payload, String name, int elementBytes) {
        long magic = (long) LONG.getAcquire(payload, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalStateException("segment '" + name + "' does not hold an initialized shared array (magic 0x"
                    + Long.toHexString(magic) + ")");
        }
        int version = payload.get(JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalStateException("shared array '" + name + "' has layout version " + version
                    + ", this library reads " + VERSION);
        }
        int bytes = payload.get(JAVA_INT, ELEMENT_BYTES_OFFSET);
        long length = payload.get(JAVA_LONG, LENGTH_OFFSET);
        if (bytes != elementBytes || length < 0 || length > Integer.MAX_VALUE
                || size((int) length, bytes) > payload.byteSize()) {
            throw new IllegalStateException("shared array '" + name + "' is damaged: " + length + " elements of "
                    + bytes + " bytes in a payload of " + payload.byteSize());
        }
        return (int) length;
    }

    static byte[] lockRef(MemorySegment payload) {
        return LockRefs.read(payload, LOCK_REF_LENGTH_OFFSET, LOCK_REF_OFFSET, LOCK_REF_CAPACITY);
    }
}
