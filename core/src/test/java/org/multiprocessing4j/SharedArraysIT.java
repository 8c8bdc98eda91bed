package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared arrays: the JSR-166 TCK's {@code AtomicLongArrayTest} and {@code AtomicIntegerArrayTest}
 * where they are about one array, and memory that is shared for real: a child writes, the parent reads.
 */
class SharedArraysIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();
    private final List<AutoCloseable> made = new ArrayList<>();

    private <T extends AutoCloseable> T keep(T t) {
        made.add(t);
        return t;
    }

    @AfterEach
    void closeWhatWasMade() throws Exception {
        for (AutoCloseable c : made) {
            c.close();
        }
    }

    /** TCK testConstructor: a new array is zeroed. */
    @Test
    void aNewArrayIsZeroed() {
        SharedLongArray aa = keep(ctx.sharedLongArray(7));
        assertThat(aa.length()).isEqualTo(7);
        assertThat(aa.toArray()).containsOnly(0L).hasSize(7);
        assertThat(keep(ctx.sharedIntArray(3)).toArray()).containsExactly(0, 0, 0);
        assertThat(keep(ctx.sharedDoubleArray(2)).toArray()).containsExactly(0.0, 0.0);
        assertThat(keep(ctx.sharedIntArray(0)).toArray()).isEmpty();
    }

    /** TCK testIndexing: every method refuses an index out of range. */
    @Test
    void indicesOutOfRangeThrowIndexOutOfBounds() {
        SharedLongArray aa = keep(ctx.sharedLongArray(5));
        SharedIntArray ia = keep(ctx.sharedIntArray(5));
        SharedDoubleArray da = keep(ctx.sharedDoubleArray(5));
        for (int index : new int[] {-1, 5, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> aa.get(index)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> aa.set(index, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> aa.getAndAdd(index, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> aa.compareAndSet(index, 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ia.incrementAndGet(index)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ia.set(index, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> da.get(index)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> da.addAndGet(index, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThat(aa.toArray()).containsOnly(0L);
    }

    /** A negative length is the caller's error, before anything is created. */
    @Test
    void negativeLengthsAreRefused() {
        assertThatThrownBy(() -> ctx.sharedIntArray(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> ctx.sharedLongArray(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-2");
        assertThatThrownBy(() -> ctx.sharedDoubleArray(Integer.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ctx.sharedMemory("values-negative", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** TCK testGetSet, testCompareAndSet, testGetAndSet, testGetAndAdd … for each element. */
    @Test
    void elementOperationsOfTheAtomicArrays() {
        SharedLongArray aa = keep(ctx.sharedLongArray(4));
        SharedIntArray ia = keep(ctx.sharedIntArray(4));
        for (int i = 0; i < 4; i++) {
            aa.set(i, 1);
            assertThat(aa.get(i)).isEqualTo(1);
            assertThat(aa.compareAndSet(i, 1, 2)).isTrue();
            assertThat(aa.compareAndSet(i, 1, 3)).isFalse();
            assertThat(aa.getAndSet(i, -10)).isEqualTo(2);
            assertThat(aa.getAndAdd(i, 12)).isEqualTo(-10);
            assertThat(aa.addAndGet(i, -4)).isEqualTo(-2);
            assertThat(aa.getAndIncrement(i)).isEqualTo(-2);
            assertThat(aa.incrementAndGet(i)).isZero();
            assertThat(aa.decrementAndGet(i)).isEqualTo(-1);
            assertThat(aa.getAndDecrement(i)).isEqualTo(-1);
            assertThat(aa.getAndUpdate(i, x -> x + 17)).isEqualTo(-2);
            assertThat(aa.updateAndGet(i, x -> x * 2)).isEqualTo(30);

            ia.set(i, Integer.MAX_VALUE);
            assertThat(ia.incrementAndGet(i)).as("wraps as AtomicIntegerArray does").isEqualTo(Integer.MIN_VALUE);
            assertThat(ia.compareAndSet(i, Integer.MIN_VALUE, i)).isTrue();
            assertThat(ia.getAndUpdate(i, x -> x + 17)).isEqualTo(i);
        }
        assertThat(aa.toArray()).containsExactly(30, 30, 30, 30);
        assertThat(ia.toArray()).containsExactly(17, 18, 19, 20);
        assertThat(ia).hasToString("[17, 18, 19, 20]");
    }

    @Test
    void doubleArrayElementOperations() {
        SharedDoubleArray da = keep(ctx.sharedDoubleArray(3));
        da.set(0, 1.5);
        assertThat(da.getAndAdd(0, 1.0)).isEqualTo(1.5);
        assertThat(da.addAndGet(0, 0.5)).isEqualTo(3.0);
        assertThat(da.compareAndSet(1, -0.0, 1.0)).as("bitwise: -0.0 is not 0.0").isFalse();
        assertThat(da.compareAndSet(1, 0.0, 1.0)).isTrue();
        assertThat(da.getAndSet(2, Double.NaN)).isZero();
        assertThat(da.updateAndGet(1, x -> x / 4)).isEqualTo(0.25);
        assertThat(da.toArray()).containsExactly(3.0, 0.25, Double.NaN);
    }

    /** The seed's Array/Value example: the child computes, the parent prints result[:]. */
    @Test
    void aChildWritesTheArrayAndTheParentReadsIt() {
        SharedIntArray result = keep(ctx.sharedIntArray(4));
        SharedLongArray pids = keep(ctx.sharedLongArray(1));
        SharedDoubleArray halves = keep(ctx.sharedDoubleArray(4));
        int[] numbers = {1, 4, 9, 16};
        ChildProcess p = ctx.process(() -> {
            for (int i = 0; i < numbers.length; i++) {
                result.set(i, numbers[i] * numbers[i]);
                halves.set(i, numbers[i] / 2.0);
            }
            pids.set(0, ProcessHandle.current().pid());
        }).start();
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        assertThat(result.toArray()).containsExactly(1, 16, 81, 256);
        assertThat(halves.toArray()).containsExactly(0.5, 2.0, 4.5, 8.0);
        assertThat(pids.get(0)).isEqualTo(p.pid());
    }

    /** Several processes add to the same elements: exact totals, nothing lost. */
    @Test
    void concurrentElementUpdatesFromSeveralProcessesAreExact() {
        SharedIntArray counts = keep(ctx.sharedIntArray(8));
        SharedDoubleArray sums = keep(ctx.sharedDoubleArray(2));
        List<ChildProcess> children = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            children.add(ctx.process(() -> {
                for (int k = 0; k < 80_000; k++) {
                    counts.incrementAndGet(k % 8);
                }
                for (int k = 0; k < 5_000; k++) {
                    sums.addAndGet(k % 2, 2.0);
                }
            }).start());
        }
        children.forEach(ChildProcess::join);
        children.forEach(c -> assertThat(c.exitCode()).hasValue(0));
        assertThat(counts.toArray()).containsOnly(30_000).hasSize(8);
        assertThat(sums.toArray()).containsExactly(15_000.0, 15_000.0);
    }

    /** Python's {@code with arr.get_lock(): arr[0] += 1; arr[1] -= 1}: a two-element invariant, kept. */
    @Test
    void compoundUpdatesUnderTheArraysLockKeepTheirInvariant() {
        SharedLongArray pair = keep(ctx.sharedLongArray(2));
        pair.set(0, 0);
        pair.set(1, 100_000);
        List<ChildProcess> children = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            children.add(ctx.process(() -> {
                for (int k = 0; k < 10_000; k++) {
                    pair.lock().lock();
                    try {
                        if (pair.get(0) + pair.get(1) != 100_000) {
                            throw new IllegalStateException("saw a half-done update: " + pair);
                        }
                        pair.set(0, pair.get(0) + 1);
                        pair.set(1, pair.get(1) - 1);
                    } finally {
                        pair.lock().unlock();
                    }
                }
            }).start());
        }
        children.forEach(ChildProcess::join);
        children.forEach(c -> assertThat(c.exitCode()).hasValue(0));
        assertThat(pair.toArray()).containsExactly(30_000, 70_000);
    }

    /** Serialized, an array is its name: the same object comes back here, nothing is copied. */
    @Test
    void serializationReattachesNotACopy() throws Exception {
        SharedLongArray big = keep(ctx.sharedLongArray(1_000_000));
        big.set(999_999, 42);
        assertThat(SharedLongIT.serialized(big).length).isLessThan(400);
        SharedLongArray back = keep(SharedLongIT.roundTrip(big)); // a new handle on the same memory
        assertThat(back.get(999_999)).isEqualTo(42);
        back.set(0, 7);
        assertThat(big.get(0)).isEqualTo(7);
        SharedDoubleArray d = keep(ctx.sharedDoubleArray(1));
        SharedDoubleArray dBack = keep(SharedLongIT.roundTrip(d));
        dBack.set(0, 2.5);
        assertThat(d.get(0)).isEqualTo(2.5);
        SharedIntArray i = keep(ctx.sharedIntArray(1));
        SharedIntArray iBack = keep(SharedLongIT.roundTrip(i));
        iBack.set(0, 3);
        assertThat(i.get(0)).isEqualTo(3);
    }
}
