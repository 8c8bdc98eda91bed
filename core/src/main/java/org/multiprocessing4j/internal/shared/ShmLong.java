package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.multiprocessing4j.internal.shared.SharedValueLayout.VALUE_OFFSET;

import java.io.Serial;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * {@link SharedLong} over a {@link SharedValueLayout} segment: every method one {@link VarHandle}
 * access (volatile, or a locked read-modify-write instruction) on the mapped word.
 */
public final class ShmLong extends SharedStructure implements SharedLong {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private ShmLong(Segment segment, ShmLock lock) {
        super(segment, lock);
    }

    public static ShmLong create(long initial) {
        return Structures.create("long", Kinds.LONG, SharedValueLayout.SIZE, (payload, lockRef) -> {
            SharedValueLayout.initialize(payload, initial, lockRef);
            return null;
        }, ShmLong::new);
    }

    static ShmLong open(String name) {
        return Structures.open(name, Kinds.LONG, p -> SharedValueLayout.check(p, name), SharedValueLayout::lockRef,
                ShmLong::new);
    }

    private long lvValue() {
        return (long) LONG.getVolatile(payload, VALUE_OFFSET);
    }

    private void svValue(long v) {
        LONG.setVolatile(payload, VALUE_OFFSET, v);
    }

    private boolean casValue(long expected, long v) {
        return LONG.compareAndSet(payload, VALUE_OFFSET, expected, v);
    }

    private long xaddValue(long delta) {
        return (long) LONG.getAndAdd(payload, VALUE_OFFSET, delta);
    }

    private long xchgValue(long v) {
        return (long) LONG.getAndSet(payload, VALUE_OFFSET, v);
    }

    @Override
    public long get() {
        return lvValue();
    }

    @Override
    public void set(long newValue) {
        svValue(newValue);
    }

    @Override
    public long getAndSet(long newValue) {
        return xchgValue(newValue);
    }

    @Override
    public boolean compareAndSet(long expected, long newValue) {
        return casValue(expected, newValue);
    }

    @Override
    public long getAndIncrement() {
        return xaddValue(1);
    }

    @Override
    public long getAndDecrement() {
        return xaddValue(-1);
    }

    @Override
    public long incrementAndGet() {
        return xaddValue(1) + 1;
    }

    @Override
    public long decrementAndGet() {
        return xaddValue(-1) - 1;
    }

    @Override
    public long getAndAdd(long delta) {
        return xaddValue(delta);
    }

    @Override
    public long addAndGet(long delta) {
        return xaddValue(delta) + delta;
    }

    @Override
    public long getAndUpdate(LongUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        while (true) {
            long prev = lvValue();
            if (casValue(prev, update.applyAsLong(prev))) {
                return prev;
            }
        }
    }

    @Override
    public long updateAndGet(LongUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        while (true) {
            long prev = lvValue();
            long next = update.applyAsLong(prev);
            if (casValue(prev, next)) {
                return next;
            }
        }
    }

    /** The value, as {@code AtomicLong.toString()} gives it. */
    @Override
    public String toString() {
        return isClosed() ? closedString("SharedLong") : Long.toString(get());
    }
}
