package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedLong} and {@link SharedDouble}: the JSR-166 TCK's {@code AtomicLongTest} (and
 * {@code Atomic8Test}'s update methods), with the other thread replaced by another process where
 * the test is about sharing.
 */
class SharedLongIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();
    private final List<AutoCloseable> made = new ArrayList<>();

    private SharedLong shared(long initial) {
        SharedLong v = ctx.sharedLong(initial);
        made.add(v);
        return v;
    }

    private SharedDouble sharedDouble(double initial) {
        SharedDouble v = ctx.sharedDouble(initial);
        made.add(v);
        return v;
    }

    @AfterEach
    void closeWhatWasMade() throws Exception {
        for (AutoCloseable c : made) {
            c.close();
        }
    }

    private static void runChild(Context ctx, SerializableRunnable target) {
        ChildProcess p = ctx.process(target).start();
        p.join();
        assertThat(p.exitCode()).as("the child's exit code (its stack trace is above if not 0)").hasValue(0);
    }

    /** TCK testConstructor, testConstructor2. */
    @Test
    void constructorInitializesToGivenValue() {
        assertThat(shared(1).get()).isEqualTo(1);
        assertThat(shared(0).get()).isZero();
        assertThat(shared(Long.MIN_VALUE).get()).isEqualTo(Long.MIN_VALUE);
    }

    /** TCK testGetSet. */
    @Test
    void getReturnsLastValueSet() {
        SharedLong ai = shared(1);
        assertThat(ai.get()).isEqualTo(1);
        ai.set(2);
        assertThat(ai.get()).isEqualTo(2);
        ai.set(-3);
        assertThat(ai.get()).isEqualTo(-3);
    }

    /** TCK testCompareAndSet. */
    @Test
    void compareAndSetSucceedsOnlyOnTheExpectedValue() {
        SharedLong ai = shared(1);
        assertThat(ai.compareAndSet(1, 2)).isTrue();
        assertThat(ai.compareAndSet(2, -4)).isTrue();
        assertThat(ai.get()).isEqualTo(-4);
        assertThat(ai.compareAndSet(-5, 7)).isFalse();
        assertThat(ai.get()).isEqualTo(-4);
        assertThat(ai.compareAndSet(-4, 7)).isTrue();
        assertThat(ai.get()).isEqualTo(7);
    }

    /**
     * TCK testCompareAndSetInMultipleThreads, across processes: the child spins until its CAS from 2 to
     * 3 succeeds, which it can only after the parent's CAS from 1 to 2.
     */
    @Test
    void compareAndSetInAnotherProcessSeesThisProcesssUpdate() {
        SharedLong ai = shared(1);
        SharedLong started = shared(0);
        ChildProcess child = ctx.process(() -> {
            started.set(1);
            while (!ai.compareAndSet(2, 3)) {
                Thread.onSpinWait();
            }
        }).start();
        awaitCondition("the child started", java.time.Duration.ofSeconds(60), () -> started.get() == 1);
        assertThat(ai.compareAndSet(1, 2)).isTrue();
        child.join();
        assertThat(child.exitCode()).hasValue(0);
        assertThat(ai.get()).isEqualTo(3);
    }

    /** TCK testGetAndSet. */
    @Test
    void getAndSetReturnsPreviousValue() {
        SharedLong ai = shared(1);
        assertThat(ai.getAndSet(0)).isEqualTo(1);
        assertThat(ai.getAndSet(-10)).isZero();
        assertThat(ai.getAndSet(1)).isEqualTo(-10);
    }

    /** TCK testGetAndAdd, testAddAndGet. */
    @Test
    void addsReturnPreviousOrUpdatedValue() {
        SharedLong ai = shared(1);
        assertThat(ai.getAndAdd(2)).isEqualTo(1);
        assertThat(ai.get()).isEqualTo(3);
        assertThat(ai.getAndAdd(-4)).isEqualTo(3);
        assertThat(ai.get()).isEqualTo(-1);
        assertThat(ai.addAndGet(2)).isEqualTo(1);
        assertThat(ai.addAndGet(-4)).isEqualTo(-3);
        assertThat(ai.get()).isEqualTo(-3);
    }

    /** TCK testGetAndIncrement, testGetAndDecrement, testIncrementAndGet, testDecrementAndGet. */
    @Test
    void incrementsAndDecrements() {
        SharedLong ai = shared(1);
        assertThat(ai.getAndIncrement()).isEqualTo(1);
        assertThat(ai.get()).isEqualTo(2);
        ai.set(-2);
        assertThat(ai.getAndIncrement()).isEqualTo(-2);
        assertThat(ai.getAndIncrement()).isEqualTo(-1);
        assertThat(ai.getAndIncrement()).isZero();
        assertThat(ai.get()).isEqualTo(1);
        assertThat(ai.getAndDecrement()).isEqualTo(1);
        assertThat(ai.getAndDecrement()).isZero();
        assertThat(ai.getAndDecrement()).isEqualTo(-1);
        ai.set(1);
        assertThat(ai.incrementAndGet()).isEqualTo(2);
        ai.set(-2);
        assertThat(ai.incrementAndGet()).isEqualTo(-1);
        assertThat(ai.incrementAndGet()).isZero();
        assertThat(ai.decrementAndGet()).isEqualTo(-1);
        assertThat(ai.decrementAndGet()).isEqualTo(-2);
        ai.set(Long.MAX_VALUE);
        assertThat(ai.incrementAndGet()).as("wraps as AtomicLong does").isEqualTo(Long.MIN_VALUE);
    }

    /** Atomic8Test testLongGetAndUpdate, testLongUpdateAndGet. */
    @Test
    void updateFunctionsApplyAtomically() {
        SharedLong a = shared(1);
        assertThat(a.getAndUpdate(x -> x + 17)).isEqualTo(1);
        assertThat(a.getAndUpdate(x -> x + 17)).isEqualTo(18);
        assertThat(a.get()).isEqualTo(35);
        assertThat(a.updateAndGet(x -> x + 17)).isEqualTo(52);
        assertThat(a.updateAndGet(x -> x + 17)).isEqualTo(69);
        assertThatThrownBy(() -> a.getAndUpdate(null)).isInstanceOf(NullPointerException.class);
    }

    /** TCK testToString: the value, as AtomicLong prints it. */
    @Test
    void toStringIsTheValue() {
        SharedLong ai = shared(0);
        for (long x : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
            ai.set(x);
            assertThat(ai).hasToString(Long.toString(x));
        }
    }

    /**
     * TCK testSerialization, but a shared value's serialized form re-attaches: in this process the
     * same object comes back, and a write through either is the other's.
     */
    @Test
    void serializationReattachesTheSameValueNotACopy() throws Exception {
        SharedLong x = shared(0);
        x.set(-22);
        SharedLong y = roundTrip(x);
        made.add(y); // a new handle on the same memory: this process still maps it once
        assertThat(y.name()).isEqualTo(x.name());
        assertThat(y.get()).isEqualTo(-22);
        y.set(7);
        assertThat(x.get()).isEqualTo(7);
        assertThat(y.lock().name()).isEqualTo(x.lock().name());
        assertThat(org.multiprocessing4j.internal.shm.Segment.handlesOpen(x.name())).isEqualTo(2);
        assertThat(serialized(x).length).as("the serialized form is a name, never the memory").isLessThan(400);
    }

    /** A child writes through the value it received; this process reads what it wrote. */
    @Test
    void aChildWritesAndTheParentReads() {
        SharedLong v = shared(5);
        SharedDouble d = sharedDouble(0.5);
        runChild(ctx, () -> {
            if (v.get() != 5 || d.get() != 0.5) {
                throw new IllegalStateException("the child saw " + v.get() + ", " + d.get());
            }
            v.set(ProcessHandle.current().pid());
            d.addAndGet(0.25);
        });
        assertThat(v.get()).as("the child's pid, written by the child").isNotEqualTo(5)
                .isNotEqualTo(ProcessHandle.current().pid());
        assertThat(d.get()).isEqualTo(0.75);
    }

    /** The "concurrent increments from several processes exact to the unit". */
    @Test
    void concurrentIncrementsFromSeveralProcessesAreExact() {
        int processes = 4;
        int each = 200_000;
        SharedLong counter = shared(0);
        SharedDouble sum = sharedDouble(0);
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            children.add(ctx.process(() -> {
                for (int k = 0; k < each; k++) {
                    counter.incrementAndGet();
                }
                for (int k = 0; k < 10_000; k++) {
                    sum.addAndGet(1.0);
                }
            }).start());
        }
        children.forEach(ChildProcess::join);
        children.forEach(c -> assertThat(c.exitCode()).hasValue(0));
        assertThat(counter.get()).isEqualTo((long) processes * each);
        assertThat(sum.get()).isEqualTo(processes * 10_000.0);
    }

    /** Many tasks in one worker capture the same value: it is attached once there, not once per task. */
    @Test
    void aPoolWorkerAttachesOnceForManyTasks() throws Exception {
        SharedLong counter = shared(0);
        try (ProcessPool pool = ctx.pool(2)) {
            List<Integer> items = java.util.stream.IntStream.range(0, 2_000).boxed().toList();
            List<Long> seen = pool.map(i -> counter.incrementAndGet(), items, 1);
            assertThat(seen).doesNotHaveDuplicates().hasSize(2_000);
        }
        assertThat(counter.get()).isEqualTo(2_000);
    }

    /**
     * Python's {@code with v.get_lock(): v.value = v.value + 1}: a compound read-then-write from
     * several processes, exact under the value's own lock (the same lock in every process).
     */
    @Test
    void compoundUpdatesUnderTheValuesLockAreExact() {
        SharedLong v = shared(0);
        SharedLong lockNames = shared(0);
        String parentLockName = v.lock().name();
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(ctx.process(() -> {
                if (v.lock().name().equals(parentLockName)) {
                    lockNames.incrementAndGet();
                }
                for (int k = 0; k < 20_000; k++) {
                    v.lock().lock();
                    try {
                        v.set(v.get() + 1);
                    } finally {
                        v.lock().unlock();
                    }
                }
            }).start());
        }
        children.forEach(ChildProcess::join);
        children.forEach(c -> assertThat(c.exitCode()).hasValue(0));
        assertThat(lockNames.get()).as("children that attached the parent's lock").isEqualTo(3);
        assertThat(v.get()).isEqualTo(60_000);
    }

    /** The value's lock is reentrant (Python's default RLock) and held by one process at a time. */
    @Test
    void theValuesLockIsReentrantAndExcludesOtherProcesses() {
        SharedLong v = shared(0);
        SharedDouble d = sharedDouble(0);
        assertThat(v.lock().isReentrant()).isTrue();
        assertThat(d.lock().name()).isNotEqualTo(v.lock().name());
        v.lock().lock();
        try {
            v.lock().lock();
            assertThat(v.lock().getHoldCount()).isEqualTo(2);
            v.lock().unlock();
            runChild(ctx, () -> {
                if (v.lock().tryLock()) {
                    throw new IllegalStateException("the child took a lock the parent holds");
                }
                v.set(1);
            });
        } finally {
            v.lock().unlock();
        }
        runChild(ctx, () -> {
            if (!v.lock().tryLock()) {
                throw new IllegalStateException("the child could not take a free lock");
            }
            v.lock().unlock();
            v.set(2);
        });
        assertThat(v.get()).isEqualTo(2);
    }

    /** SharedDouble: bitwise compare-and-set, as Guava's AtomicDouble. */
    @Test
    void sharedDoubleComparesBits() {
        SharedDouble d = sharedDouble(0.0);
        assertThat(d.compareAndSet(-0.0, 1.0)).as("-0.0 is not 0.0's bits").isFalse();
        assertThat(d.compareAndSet(0.0, Double.NaN)).isTrue();
        assertThat(d.compareAndSet(Double.NaN, 2.5)).as("NaN matches the same NaN").isTrue();
        assertThat(d.getAndSet(3.0)).isEqualTo(2.5);
        assertThat(d.getAndAdd(1.5)).isEqualTo(3.0);
        assertThat(d.addAndGet(-0.5)).isEqualTo(4.0);
        assertThat(d.getAndUpdate(x -> x * 2)).isEqualTo(4.0);
        assertThat(d.updateAndGet(x -> x + 1)).isEqualTo(9.0);
        assertThat(d).hasToString("9.0");
    }

    @Test
    void aClosedValueRefusesAccess() {
        SharedLong v = ctx.sharedLong(1);
        v.close();
        v.close(); // idempotent
        assertThatThrownBy(v::get).isInstanceOf(IllegalStateException.class);
        assertThat(v.toString()).contains(v.name(), "closed");
    }

    static byte[] serialized(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized(o)))) {
            return (T) in.readObject();
        }
    }
}
