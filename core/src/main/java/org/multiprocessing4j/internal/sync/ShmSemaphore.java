package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * A counting semaphore in a shared segment ({@link SemaphoreLayout}).
 *
 * <p><b>Implementation notes.</b> Acquire CASes {@code COUNT} down while it is positive; at zero it
 * registers in {@code WAITERS} and sleeps on {@code COUNT} while it reads 0. Release CASes it up (a
 * bounded semaphore refuses to pass {@code BOUND}) and wakes one sleeper if {@code WAITERS} is
 * non-zero. Both are sequentially consistent read-modify-writes, so a sleeper either is counted by the
 * releaser or sees the new count in the kernel's compare: no lost wake-up. Sleeps are chunked
 * ({@value Pids#CHUNK_NANOS} ns) for interrupts, and so that a permit whose wake-up went to a waiter
 * that then left (timed out, interrupted) is found by another within a chunk.
 *
 * <p><b>Failure.</b> Permits are not owned, so a process that dies holding one takes it with it, as in
 * Python and POSIX semaphores.
 */
public final class ShmSemaphore implements ProcessSemaphore, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final String name;
    private final transient Segment segment;
    private final transient MemorySegment memory;
    private final transient MemorySegment countWord;
    private final transient int bound;

    private ShmSemaphore(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.memory = segment.payload();
        this.countWord = Pids.word(memory, SemaphoreLayout.COUNT_OFFSET);
        this.bound = memory.get(JAVA_INT, SemaphoreLayout.BOUND_OFFSET);
    }

    /** A semaphore with {@code permits}; bounded: {@link #release()} may not exceed them. */
    public static ShmSemaphore create(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
        Segment segment = Segment.create(Segments.newName("sem"), Kinds.SEMAPHORE, SemaphoreLayout.SIZE);
        MemorySegment payload = segment.payload();
        payload.set(JAVA_INT, SemaphoreLayout.BOUND_OFFSET, bounded ? permits : -1);
        payload.set(JAVA_INT, SemaphoreLayout.COUNT_OFFSET, permits);
        Pids.writeHeader(payload, SemaphoreLayout.MAGIC, SemaphoreLayout.VERSION);
        return new ShmSemaphore(segment);
    }

    public static ShmSemaphore open(String name) {
        return new ShmSemaphore(Pids.attach(name, Kinds.SEMAPHORE, SemaphoreLayout.MAGIC, SemaphoreLayout.VERSION, "semaphore"));
    }

    @Override
    public void acquire() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        take(false, 0);
    }

    @Override
    public boolean tryAcquire() {
        while (true) {
            int count = lvCount();
            if (count <= 0) {
                return false;
            }
            if (casCount(count, count - 1)) {
                return true;
            }
        }
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return take(true, System.nanoTime() + timeout.toNanos());
    }

    private boolean take(boolean timed, long deadline) throws InterruptedException {
        while (true) {
            if (tryAcquire()) {
                return true;
            }
            if (!Pids.awaitChunk(memory, SemaphoreLayout.WAITERS_OFFSET, countWord, 0, timed, deadline)) {
                return false;
            }
        }
    }

    @Override
    public void release() {
        while (true) {
            int count = lvCount();
            if (bound >= 0 && count >= bound) {
                throw new IllegalStateException("bounded semaphore released too many times: " + count
                        + " permits available of " + bound);
            }
            if (count == Integer.MAX_VALUE) {
                throw new Error("maximum permit count exceeded");
            }
            if (casCount(count, count + 1)) {
                break;
            }
        }
        if ((int) INT.getVolatile(memory, SemaphoreLayout.WAITERS_OFFSET) > 0) {
            Futex.wake(countWord, 1);
        }
    }

    @Override
    public int availablePermits() {
        return lvCount();
    }

    @Override
    public boolean isBounded() {
        return bound >= 0;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        segment.close();
    }

    private int lvCount() {
        return (int) INT.getVolatile(memory, SemaphoreLayout.COUNT_OFFSET);
    }

    private boolean casCount(int expected, int value) {
        return INT.compareAndSet(memory, SemaphoreLayout.COUNT_OFFSET, expected, value);
    }

    @Serial
    private Object writeReplace() {
        segment.handOff(); // kept for the process it goes to, should this one close it first
        return new Ref(name);
    }

    private record Ref(String name) implements Serializable {
        @Serial
        private Object readResolve() {
            try {
                return ShmSemaphore.open(name);
            } finally {
                Segment.arrived(name);
            }
        }
    }

    @Override
    public String toString() {
        return (bound >= 0 ? "BoundedSemaphore[" : "Semaphore[") + name + "]";
    }
}
