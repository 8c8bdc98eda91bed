package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/** {@link SharedLongArray} over a {@link SharedArrayLayout} segment: one {@link VarHandle} access per element op. */
public final class ShmLongArray extends ShmArray implements SharedLongArray {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle ELEMENT = JAVA_LONG.varHandle();
    private static final int BYTES = 8;
    private static final int SHIFT = 3;

    private ShmLongArray(Segment segment, ShmLock lock) {
        super(segment, lock, BYTES);
    }

    /** @throws IllegalArgumentException if {@code length} is negative */
    public static ShmLongArray create(int length) {
        requireLength(length);
        return Structures.create("long-array", Kinds.LONG_ARRAY, SharedArrayLayout.size(length, BYTES), (payload, lockRef) -> {
            SharedArrayLayout.initialize(payload, length, BYTES, lockRef);
            return null;
        }, ShmLongArray::new);
    }

    static ShmLongArray open(String name) {
        return Structures.open(name, Kinds.LONG_ARRAY, p -> SharedArrayLayout.check(p, name, BYTES),
                SharedArrayLayout::lockRef, ShmLongArray::new);
    }

    private long lv(long offset) {
        return (long) ELEMENT.getVolatile(elements, offset);
    }

    private void sv(long offset, long v) {
        ELEMENT.setVolatile(elements, offset, v);
    }

    private boolean cas(long offset, long expected, long v) {
        return ELEMENT.compareAndSet(elements, offset, expected, v);
    }

    private long xadd(long offset, long delta) {
        return (long) ELEMENT.getAndAdd(elements, offset, delta);
    }

    @Override
    public long get(int i) {
        return lv(offset(i, SHIFT));
    }

    @Override
    public void set(int i, long newValue) {
        sv(offset(i, SHIFT), newValue);
    }

    @Override
    public long getAndSet(int i, long newValue) {
        return (long) ELEMENT.getAndSet(elements, offset(i, SHIFT), newValue);
    }

    @Override
    public boolean compareAndSet(int i, long expected, long newValue) {
        return cas(offset(i, SHIFT), expected, newValue);
    }

    @Override
    public long getAndIncrement(int i) {
        return xadd(offset(i, SHIFT), 1);
    }

    @Override
    public long getAndDecrement(int i) {
        return xadd(offset(i, SHIFT), -1);
    }

    @Override
    public long incrementAndGet(int i) {
        return xadd(offset(i, SHIFT), 1) + 1;
    }

    @Override
    public long decrementAndGet(int i) {
        return xadd(offset(i, SHIFT), -1) - 1;
    }

    @Override
    public long getAndAdd(int i, long delta) {
        return xadd(offset(i, SHIFT), delta);
    }

    @Override
    public long addAndGet(int i, long delta) {
        return xadd(offset(i, SHIFT), delta) + delta;
    }

    @Override
    public long getAndUpdate(int i, LongUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long offset = offset(i, SHIFT);
        while (true) {
            long prev = lv(offset);
            if (cas(offset, prev, update.applyAsLong(prev))) {
                return prev;
            }
        }
    }

    @Override
    public long updateAndGet(int i, LongUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long offset = offset(i, SHIFT);
        while (true) {
            long prev = lv(offset);
            long next = update.applyAsLong(prev);
            if (cas(offset, prev, next)) {
                return next;
            }
        }
    }

    /** Plain reads of every element after a full fence: each is at least as fresh as the fence. */
    @Override
    public long[] toArray() {
        long[] copy = new long[length];
        VarHandle.fullFence();
        MemorySegment.copy(elements, JAVA_LONG, 0, copy, 0, length);
        return copy;
    }

    /** The elements, as {@code AtomicLongArray.toString()} gives them. */
    @Override
    public String toString() {
        return isClosed() ? closedString("SharedLongArray") : Arrays.toString(toArray());
    }
}
