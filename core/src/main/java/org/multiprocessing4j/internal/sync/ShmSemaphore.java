package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
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
import org.multiprocessing4j.internal.shm.SharedWait;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;

/**
 * A counting semaphore in a shared segment ({@link SemaphoreLayout}).
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Protocol.</i> Acquire CASes {@code COUNT} down by the permits wanted while it holds that
 *       many; otherwise it registers in {@code WAITERS} (and {@code MULTI} if it wants more than one)
 *       and sleeps on {@code COUNT} while it reads the value it saw. Release CASes it up (a bounded
 *       semaphore refuses to pass {@code BOUND}) and wakes as many sleepers as permits came, or all of
 *       them if one wants several (it cannot tell which one the permits suit). Both are sequentially
 *       consistent read-modify-writes, so a sleeper either is counted by the releaser or sees the new
 *       count in the kernel's compare: no lost wake-up. Sleeps are chunked ({@value Pids#CHUNK_NANOS}
 *       ns) for interrupts, and so that a permit whose wake-up went to a waiter that then left (timed
 *       out, interrupted) is found by another within a chunk.</li>
 *   <li><i>Holders.</i> Each process's net permits (taken minus given back, never below zero) are kept
 *       in its slot of {@code HOLDERS} ({@link ProcessCounts}): an acquire adds after its CAS on
 *       {@code COUNT}, a release subtracts before its CAS. A kill between the two words therefore
 *       loses the permit in flight (as Python loses every dead holder's permits), and never makes one
 *       up.</li>
 *   <li><i>Failure.</i> The permits of a process that died holding them go back to {@code COUNT},
 *       up to {@code INITIAL}: whoever finds the dead slot first (a waiter after each chunk, a failed
 *       {@code tryAcquire} or {@code availablePermits()} at most once a chunk per handle) frees it and
 *       adds its permits, waking waiters. The ceiling keeps a semaphore used as a signal (permits made
 *       by {@code release()} beyond the initial count, taken for good by a consumer) from making up
 *       signals when a consumer dies.</li>
 * </ul>
 */
public final class ShmSemaphore implements ProcessSemaphore, Serializable, RawHandle {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final String name;
    private final transient Segment segment;
    private final transient MemorySegment memory;
    private final transient MemorySegment countWord;
    private final transient int bound;
    private final transient int initial;
    private final transient ProcessCounts holders;
    private transient volatile long nextScan; // when this handle may next look for dead holders

    private ShmSemaphore(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.memory = segment.payload();
        this.countWord = Pids.word(memory, SemaphoreLayout.COUNT_OFFSET);
        this.bound = memory.get(JAVA_INT, SemaphoreLayout.BOUND_OFFSET);
        this.initial = memory.get(JAVA_INT, SemaphoreLayout.INITIAL_OFFSET);
        this.holders = new ProcessCounts(memory, SemaphoreLayout.USED_OFFSET, SemaphoreLayout.HOLDERS_OFFSET,
                "semaphore " + name, this::giveBack);
        this.nextScan = System.nanoTime();
    }

    /** A semaphore with {@code permits}; bounded: {@link #release()} may not exceed them. */
    public static ShmSemaphore create(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
        Segment segment = Segment.create(Segments.newName("sem"), Kinds.SEMAPHORE, SemaphoreLayout.SIZE);
        MemorySegment payload = segment.payload();
        payload.set(JAVA_INT, SemaphoreLayout.BOUND_OFFSET, bounded ? permits : -1);
        payload.set(JAVA_INT, SemaphoreLayout.INITIAL_OFFSET, permits);
        payload.set(JAVA_INT, SemaphoreLayout.COUNT_OFFSET, permits);
        Pids.writeHeader(payload, SemaphoreLayout.MAGIC, SemaphoreLayout.VERSION);
        return new ShmSemaphore(segment);
    }

    public static ShmSemaphore open(String name) {
        return new ShmSemaphore(Pids.attach(name, Kinds.SEMAPHORE, SemaphoreLayout.MAGIC, SemaphoreLayout.VERSION, "semaphore"));
    }

    @Override
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    @Override
    public void acquire(int permits) throws InterruptedException {
        requireNonNegative(permits);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        take(permits, false, 0);
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    @Override
    public boolean tryAcquire(int permits) {
        requireNonNegative(permits);
        if (tryTake(permits)) {
            return true;
        }
        return reclaimIfDue() && tryTake(permits);
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    @Override
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        requireNonNegative(permits);
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return take(permits, true, System.nanoTime() + timeout.toNanos());
    }

    private boolean tryTake(int permits) {
        while (true) {
            int count = lvCount();
            if (count < permits) {
                return false;
            }
            if (casCount(count, count - permits)) {
                if (permits > 0) {
                    holders.add(permits);
                }
                return true;
            }
        }
    }

    private boolean take(int permits, boolean timed, long deadline) throws InterruptedException {
        if (tryTake(permits)) {
            return true;
        }
        boolean multi = permits > 1;
        SharedWait wait = new SharedWait(Pids.CHUNKED, memory, SemaphoreLayout.COUNT_OFFSET,
                SemaphoreLayout.WAITERS_OFFSET) {
            @Override
            protected boolean ready(boolean announced) {
                return tryTake(permits);
            }

            @Override
            protected int announce() {
                if (multi) {
                    INT.getAndAdd(memory, SemaphoreLayout.MULTI_OFFSET, 1);
                }
                return super.announce();
            }

            @Override
            protected void withdraw() {
                super.withdraw();
                if (multi) {
                    INT.getAndAdd(memory, SemaphoreLayout.MULTI_OFFSET, -1);
                }
            }

            @Override
            protected boolean afterSleep(boolean timedOut) {
                reclaimIfDue();
                return false;
            }
        };
        return switch (wait.await(timed, deadline)) {
            case READY -> true;
            case TIMED_OUT -> tryTake(permits);
            case INTERRUPTED -> throw new InterruptedException();
        };
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int permits) {
        requireNonNegative(permits);
        if (permits == 0) {
            return;
        }
        int given = holders.subtract(permits);
        try {
            while (true) {
                int count = lvCount();
                if (bound >= 0 && (long) count + permits > bound) {
                    throw new IllegalStateException("bounded semaphore released too many times: " + count
                            + " permits available of " + bound + ", " + permits + " released");
                }
                if ((long) count + permits > Integer.MAX_VALUE) {
                    throw new Error("maximum permit count exceeded");
                }
                if (casCount(count, count + permits)) {
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            if (given > 0) {
                holders.add(given);
            }
            throw e;
        }
        wake(permits);
    }

    @Override
    public int drainPermits() {
        while (true) {
            int count = lvCount();
            if (count <= 0) {
                return 0;
            }
            if (casCount(count, 0)) {
                holders.add(count);
                return count;
            }
        }
    }

    @Override
    public int availablePermits() {
        reclaimIfDue();
        return lvCount();
    }

    /** The permits this process holds (taken and not given back), as the holder table says. */
    public int heldByThisProcess() {
        return (int) holders.own();
    }

    /**
     * Gives back the permits of holders that have died, now (a waiter, a failed {@code tryAcquire} and
     * {@code availablePermits()} do it on their own at most once a chunk).
     */
    public void reclaimDeadHolders() {
        holders.reclaimDead();
    }

    private void wake(int permits) {
        if ((int) INT.getVolatile(memory, SemaphoreLayout.WAITERS_OFFSET) > 0) {
            boolean multi = (int) INT.getVolatile(memory, SemaphoreLayout.MULTI_OFFSET) > 0;
            Futex.wake(countWord, multi ? Integer.MAX_VALUE : permits);
        }
    }

    /** Looks for dead holders if this handle has not for a chunk; true if it looked. */
    private boolean reclaimIfDue() {
        long now = System.nanoTime();
        long due = nextScan;
        if (now - due < 0) {
            return false;
        }
        nextScan = now + Pids.CHUNK_NANOS;
        holders.reclaimDead();
        return true;
    }

    /** Returns the permits of dead holders, as far as the count stays at or below the initial one. */
    private void giveBack(long permits) {
        while (true) {
            int count = lvCount();
            int back = (int) Math.min(permits, Math.max(0L, (long) initial - count));
            if (back == 0) {
                return;
            }
            if (casCount(count, count + back)) {
                wake(back);
                return;
            }
        }
    }

    private static void requireNonNegative(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
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
    public byte handleKind() {
        return RawHandle.SEMAPHORE;
    }

    @Override
    public void writeHandle(ByteWriter out) {
        out.writeString(((Ref) writeReplace()).name());
    }

    /**
     * A handle {@link #writeHandle} wrote, attached in this process as its serial form's {@code readResolve}
     * does, once the serial filter allows that form's class.
     *
     * @throws IOException if the bytes are cut short, or the filter refuses the class
     */
    public static ShmSemaphore readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return (ShmSemaphore) new Ref(in.readString()).readResolve();
    }

    @Override
    public String toString() {
        String permits;
        try {
            permits = ", permits = " + lvCount();
        } catch (IllegalStateException closed) {
            permits = ", closed";
        }
        return (bound >= 0 ? "BoundedSemaphore[" : "Semaphore[") + name + permits + "]";
    }
}
