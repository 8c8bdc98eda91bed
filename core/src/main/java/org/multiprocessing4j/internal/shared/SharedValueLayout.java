package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The payload of a shared value's segment ({@code Kinds.LONG}, {@code Kinds.DOUBLE}): one 8-byte word
 * on a cache line of its own, and the reference to the value's lock (Python's {@code get_lock()}).
 *
 * <pre>
 *  0       8       12      16                                              64
 *  +-------+-------+-------+-----------------------------------------------+
 *  | MAGIC |VERSION|LOCKLEN| reserved                                      |  written once, at creation
 *  +-------+-------+-------+-----------------------------------------------+
 *  64      72                                                              128
 *  +-------+---------------------------------------------------------------+
 *  | VALUE | reserved: the hot word alone on its cache line                |  every access
 *  +-------+---------------------------------------------------------------+
 *  128                                                                     1024
 *  +-----------------------------------------------------------------------+
 *  | LOCK_REF[LOCKLEN]: the lock's serialized form (its segment's name)    |  written once
 *  +-----------------------------------------------------------------------+
 * </pre>
 *
 * <p>VALUE holds a {@code long}, or a {@code double}'s raw IEEE-754 bits. The creator writes every field
 * and then MAGIC with release semantics; an opener reads MAGIC with acquire semantics before the rest.
 * The payload starts on a page ({@code SegmentLayout.PAYLOAD_OFFSET}), so VALUE is 8-byte aligned.
 */
public final class SharedValueLayout {
    public static final long MAGIC = 0x4d50344a56414c31L; // "MP4JVAL1"
    public static final int VERSION = 1;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long LOCK_REF_LENGTH_OFFSET = 12;
    public static final long VALUE_OFFSET = 64;
    public static final long LOCK_REF_OFFSET = 128;
    public static final int LOCK_REF_CAPACITY = 896;
    public static final long SIZE = LOCK_REF_OFFSET + LOCK_REF_CAPACITY;

    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private SharedValueLayout() {}

    /** Writes a fresh payload: the value's bits, the lock reference, then MAGIC (release). */
    static void initialize(MemorySegment payload, long bits, byte[] lockRef) {
        payload.set(JAVA_INT, VERSION_OFFSET, VERSION);
        LockRefs.write(payload, LOCK_REF_LENGTH_OFFSET, LOCK_REF_OFFSET, LOCK_REF_CAPACITY, lockRef);
        LONG.setVolatile(payload, VALUE_OFFSET, bits);
        LONG.setRelease(payload, MAGIC_OFFSET, MAGIC);
    }

    /** Checks MAGIC (acquire) and VERSION of a payload being attached. */
    static void check(MemorySegment payload, String name) {
        long magic = (long) LONG.getAcquire(payload, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalStateException("segment '" + name + "' does not hold an initialized shared value (magic 0x"
                    + Long.toHexString(magic) + ")");
        }
        int version = payload.get(JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalStateException("shared value '" + name + "' has layout version " + version
                    + ", this library reads " + VERSION);
        }
    }

    static byte[] lockRef(MemorySegment payload) {
        return LockRefs.read(payload, LOCK_REF_LENGTH_OFFSET, LOCK_REF_OFFSET, LOCK_REF_CAPACITY);
    }
}
