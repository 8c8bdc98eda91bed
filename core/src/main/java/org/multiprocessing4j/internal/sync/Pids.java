package org.multiprocessing4j.internal.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** This process's pid, liveness of others, and where the futex half of a 64-bit word lies. */
final class Pids {
    static final int SELF = Math.toIntExact(ProcessHandle.current().pid());

    /** Offset of the low 32 bits of a 64-bit word: the half a futex waits on. */
    static final long LOW_HALF = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4;

    /** How long one futex wait lasts at most, so that interrupts and dead peers are noticed. */
    static final long CHUNK_NANOS = 50_000_000L;

    private Pids() {}

    static boolean alive(int pid) {
        return pid == SELF || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

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

    private static final java.lang.invoke.VarHandle INT = java.lang.foreign.ValueLayout.JAVA_INT.varHandle();

    /**
     * One bounded wait on {@code word} while it holds {@code expected}, counted in the waiters word at
     * {@code waitersOffset} (so that a waker makes the futex call only when someone sleeps).
     *
     * @return false if {@code deadline} (with {@code timed}) has passed, true after the wait
     * @throws InterruptedException if the thread was interrupted meanwhile
     */
    static boolean awaitChunk(java.lang.foreign.MemorySegment memory, long waitersOffset,
            java.lang.foreign.MemorySegment word, int expected, boolean timed, long deadline) throws InterruptedException {
        long wait = CHUNK_NANOS;
        if (timed) {
            long remaining = remaining(deadline);
            if (remaining <= 0) {
                return false;
            }
            wait = Math.min(wait, remaining);
        }
        INT.getAndAdd(memory, waitersOffset, 1);
        try {
            org.multiprocessing4j.internal.shm.Futex.await(word, expected, wait);
        } finally {
            INT.getAndAdd(memory, waitersOffset, -1);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return true;
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
