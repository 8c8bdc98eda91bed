package org.multiprocessing4j.internal.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.multiprocessing4j.internal.shm.SharedWait;

/** This process's pid, liveness of others, and where the futex half of a 64-bit word lies. */
final class Pids {
    static final int SELF = Math.toIntExact(ProcessHandle.current().pid());

    /** Offset of the low 32 bits of a 64-bit word: the half a futex waits on. */
    static final long LOW_HALF = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4;

    /** How long one futex wait lasts at most, so that interrupts and dead peers are noticed. */
    static final long CHUNK_NANOS = 50_000_000L;

    /**
     * How an event's or a semaphore's waiter waits ({@link SharedWait}): no spin or yield (a set or a
     * release is usually far away), chunks of {@link #CHUNK_NANOS}, interruptible.
     */
    static final SharedWait.Pacing CHUNKED = new SharedWait.Pacing(0, 0, CHUNK_NANOS, true);

    private Pids() {}

    /** A 32-bit slice at {@code offset}, for {@link org.multiprocessing4j.internal.shm.Futex}. */
    static MemorySegment word(MemorySegment payload, long offset) {
        return payload.asSlice(offset, ValueLayout.JAVA_INT.byteSize());
    }

    static void checkHeader(MemorySegment payload, int magic, int version, String what, String name) {
        int m = payload.get(ValueLayout.JAVA_INT, 0);
        int v = payload.get(ValueLayout.JAVA_INT, 4);
        if (m != magic) {
            throw new IllegalStateException("segment '" + name + "' does not hold a " + what + " (magic 0x"
                    + Integer.toHexString(m) + ")");
        }
        if (v != version) {
            throw new IllegalStateException(what + " '" + name + "' has layout version " + v + ", this library reads "
                    + version);
        }
    }

    static void writeHeader(MemorySegment payload, int magic, int version) {
        payload.set(ValueLayout.JAVA_INT, 4, version);
        payload.set(ValueLayout.JAVA_INT, 0, magic);
    }

    static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    /**
     * Maps segment {@code name}, which must hold a {@code kind} whose payload starts with
     * {@code magic}/{@code version}; the segment is closed again if it does not.
     */
    static org.multiprocessing4j.internal.shm.Segment attach(String name, int kind, int magic, int version, String what) {
        org.multiprocessing4j.internal.shm.Segment segment = org.multiprocessing4j.internal.shm.Segment.open(name, kind);
        try {
            checkHeader(segment.payload(), magic, version, what, name);
            return segment;
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }
}
