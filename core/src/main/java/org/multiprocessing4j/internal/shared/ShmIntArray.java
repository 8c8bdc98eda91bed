package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/** {@link SharedIntArray} over a {@link SharedArrayLayout} segment: one {@link VarHandle} access per element op. */
public final class ShmIntArray extends ShmArray implements SharedIntArray {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle ELEMENT = JAVA_INT.varHandle();
    private static final int BYTES = 4;
    private static final int SHIFT = 2;

    private ShmIntArray(Segment segment, ShmLock lock) {
        super(segment, lock, BYTES);
    }

    /** @throws IllegalArgumentException if {@code length} is negative */
    public static ShmIntArray create(int length) {
        requireLength(length);
        return Structures.create("int-array", Kinds.INT_ARRAY, SharedArrayLayout.size(length, BYTES), (payload, lockRef) -> {
            SharedArrayLayout.initialize(payload, length, BYTES, lockRef);
            return null;
        }, ShmIntArray::new);
    }

    static ShmIntArray open(String name) {
        return Structures.open(name, Kinds.INT_ARRAY, p -> SharedArrayLayout.check(p, name, BYTES),
                SharedArrayLayout::lockRef, ShmIntArray::new);
    }

    private int lv(long offset) {
        return (int) ELEMENT.getVolatile(elements, offset);
    }

    private void sv(long offset, int v) {
        ELEMENT.setVolatile(elements, offset, v);
    }

    private boolean cas(long offset, int expected, int v) {
        return ELEMENT.compareAndSet(elements, offset, expected, v);
    }

    private int xadd(long offset, int delta) {
        return (int) ELEMENT.getAndAdd(elements, offset, delta);
    }

    @Override
    public int get(int i) {
        return lv(offset(i, SHIFT));
    }

    @Override
    public void set(int i, int newValue) {
        sv(offset(i, SHIFT), newValue);
    }

    @Override
    public int getAndSet(int i, int newValue) {
        return (int) ELEMENT.getAndSet(elements, offset(i, SHIFT), newValue);
    }

    @Override
    public boolean compareAndSet(int i, int expected, int newValue) {
        return cas(offset(i, SHIFT), expected, newValue);
    }

    @Override
    public int getAndIncrement(int i) {
        return xadd(offset(i, SHIFT), 1);
    }

    @Override
    public int getAndDecrement(int i) {
        return xadd(offset(i, SHIFT), -1);
    }

    @Override
    public int incrementAndGet(int i) {
        return xadd(offset(i, SHIFT), 1) + 1;
    }

    @Override
    public int decrementAndGet(int i) {
        return xadd(offset(i, SHIFT), -1) - 1;
    }

    @Override
    public int getAndAdd(int i, int delta) {
        return xadd(offset(i, SHIFT), delta);
    }

    @Override
    public int addAndGet(int i, int delta) {
        return xadd(offset(i, SHIFT), delta) + delta;
    }

    @Override
    public int getAndUpdate(int i, IntUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long offset = offset(i, SHIFT);
        while (true) {
            int prev = lv(offset);
            if (cas(offset, prev, update.applyAsInt(prev))) {
                return prev;
            }
        }
    }

    @Override
    public int updateAndGet(int i, IntUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long offset = offset(i, SHIFT);
        while (true) {
            int prev = lv(offset);
            int next = update.applyAsInt(prev);
            if (cas(offset, prev, next)) {
                return next;
            }
        }
    }

    /** Plain reads of every element after a full fence: each is at least as fresh as the fence. */
    @Override
    public int[] toArray() {
        int[] copy = new int[length];
        VarHandle.fullFence();
        MemorySegment.copy(elements, JAVA_INT, 0, copy, 0, length);
        return copy;
    }

    /** The elements, as {@code AtomicIntegerArray.toString()} gives them. */
    @Override
    public String toString() {
        return isClosed() ? closedString("SharedIntArray") : Arrays.toString(toArray());
    }
}
