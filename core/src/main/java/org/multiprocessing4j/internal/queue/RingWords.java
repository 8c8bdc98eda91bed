package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.queue.QueueLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Segment;

/**
 * The words of one queue's segment ({@link QueueLayout}), checked on attach, and their accessors named
 * by memory ordering ({@code lv} load acquire, {@code so} store release, {@code cas}, {@code add} a
 * fenced get-and-add): the vocabulary that {@link Ring} and its rooms ({@link RingRecovery},
 * {@link JoinableCounter}) share. Immutable after construction.
 */
abstract class RingWords {
    static final VarHandle LONG = JAVA_LONG.varHandle();
    static final VarHandle INT = JAVA_INT.varHandle();
    static final long PID = ProcessHandle.current().pid();
    static final long SELF = ProcessIds.self();

    final Segment segment;
    final MemorySegment m;
    final int slots;
    final int shift;
    final long mask;
    final long data;
    final long ringBytes;
    final long maxsize;
    final boolean joinable;

    RingWords(Segment segment) {
        this.segment = segment;
        this.m = segment.payload();
        if ((long) LONG.getAcquire(m, MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException("segment '" + segment.name() + "' does not hold a queue");
        }
        int version = m.get(JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalStateException("queue '" + segment.name() + "' has layout version " + version
                    + ", this library reads " + VERSION);
        }
        this.slots = m.get(JAVA_INT, SLOTS_OFFSET);
        if (Integer.bitCount(slots) != 1 || slots < 16 || slots > MAX_SLOTS || m.byteSize() < payloadSize(slots)
                || m.get(JAVA_INT, SLOT_SIZE_OFFSET) != SLOT_SIZE || m.get(JAVA_LONG, MAXSIZE_OFFSET) < 1) {
            throw new IllegalStateException("queue '" + segment.name() + "' is corrupt: " + m.get(JAVA_INT, SLOTS_OFFSET)
                    + " slots of " + m.get(JAVA_INT, SLOT_SIZE_OFFSET) + " bytes, maxsize "
                    + m.get(JAVA_LONG, MAXSIZE_OFFSET) + ", in a payload of " + m.byteSize() + " bytes");
        }
        this.shift = Integer.numberOfTrailingZeros(slots);
        this.mask = slots - 1;
        this.data = dataOffset(slots);
        this.ringBytes = (long) slots * SLOT_SIZE;
        this.maxsize = m.get(JAVA_LONG, MAXSIZE_OFFSET);
        this.joinable = (m.get(JAVA_INT, FLAGS_OFFSET) & FLAG_JOINABLE) != 0;
    }

    final String name() {
        return segment.name();
    }

    final IllegalStateException corrupt(String what, Throwable cause) {
        return new IllegalStateException("queue '" + segment.name() + "' is corrupt: " + what, cause);
    }

    // ---- control words

    final long lvLong(long offset) {
        return (long) LONG.getAcquire(m, offset);
    }

    final void soLong(long offset, long value) {
        LONG.setRelease(m, offset, value);
    }

    final boolean casLong(long offset, long expected, long value) {
        return LONG.compareAndSet(m, offset, expected, value);
    }

    /** The value seen at {@code offset}: {@code expected} if the swap took place. */
    final long caxLong(long offset, long expected, long value) {
        return (long) LONG.compareAndExchange(m, offset, expected, value);
    }

    final long addLong(long offset, long delta) {
        return (long) LONG.getAndAdd(m, offset, delta);
    }

    final long xchgLong(long offset, long value) {
        return (long) LONG.getAndSet(m, offset, value);
    }

    final int lvInt(long offset) {
        return (int) INT.getAcquire(m, offset);
    }

    final int addInt(long offset, int delta) {
        return (int) INT.getAndAdd(m, offset, delta);
    }

    // ---- a position's sequence word and OWNER

    final long seqOffset(long position) {
        return SEQ_OFFSET + SEQ_STRIDE * (position & mask);
    }

    final long lvSeq(long position) {
        return lvLong(seqOffset(position));
    }

    final void soSeq(long position, long value) {
        soLong(seqOffset(position), value);
    }

    final boolean casSeq(long position, long expected, long value) {
        return casLong(seqOffset(position), expected, value);
    }

    final long lvOwner(long position) {
        return lvLong(seqOffset(position) + OWNER);
    }

    final void soOwner(long position, long identity) {
        soLong(seqOffset(position) + OWNER, identity);
    }

    /** The lap of {@code position}, as a sequence word holds it. */
    final long lap(long position) {
        return sameLap(position >>> shift);
    }
}
