package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;

/**
 * A table of per-process counts in a shared segment: how many permits each process holds of a
 * {@link ShmSemaphore}, how many threads of each process wait for a {@link ShmLock}. A count belongs to
 * a live process; the count of a process that is gone can be taken back ({@link #reclaimDead}) or is
 * left out ({@link #sumLive}).
 *
 * <p><b>Memory layout.</b> A high-water mark (int, CAS) at {@code usedOffset}, and {@link #SLOTS}
 * 64-bit slots from {@code tableOffset}:
 * <pre>
 *  63                          32 31                           0
 *  +----------------------------+------------------------------+
 *  | count (≥ 0)                | pid (0: a free slot)         |
 *  +----------------------------+------------------------------+
 * </pre>
 * Slots are packed, eight to a cache line: a slot is written on the slow paths of a lock and on every
 * acquire and release of a semaphore, whose count word all processes write anyway.
 *
 * <p><b>Concurrency.</b> A process claims one slot ({@code CAS 0 → pid}, under a lock of this JVM so
 * that two of its threads never claim two) and keeps it while it lives; only its threads change the
 * count, by atomic read-modify-writes. Anyone may free the slot of a dead pid ({@code CAS slot → 0}), and
 * whoever wins that CAS owns the dead count. A pid reused by a new process before its slot is reclaimed
 * would inherit the slot (as {@link RobustMutex}'s words share that limit).
 */
final class ProcessCounts {
    /** Slots per table: more than the processes that may attach to one segment at once. */
    static final int SLOTS = 512;
    static final long TABLE_BYTES = SLOTS * 8L;
    private static final long COUNT_UNIT = 1L << 32;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final Object CLAIM = new Object();

    private final MemorySegment memory;
    private final long usedOffset;
    private final long tableOffset;
    private final String owner;
    private final LongConsumer reclaimed;
    private volatile int mine = -1; // this process's slot, once claimed

    /** {@code reclaimed} is given the counts of dead processes that {@link #reclaimDead} frees. */
    ProcessCounts(MemorySegment memory, long usedOffset, long tableOffset, String owner, LongConsumer reclaimed) {
        this.memory = memory;
        this.usedOffset = usedOffset;
        this.tableOffset = tableOffset;
        this.owner = owner;
        this.reclaimed = reclaimed;
    }

    /** Adds {@code n} (≥ 0) to this process's count. */
    void add(int n) {
        LONG.getAndAdd(memory, offset(mine()), n * COUNT_UNIT);
    }

    /** Takes up to {@code n} from this process's count, never below zero; returns how much it took. */
    int subtract(int n) {
        long at = offset(mine());
        while (true) {
            long word = lvSlot(at);
            int taken = Math.min(n, count(word));
            if (taken == 0 || LONG.compareAndSet(memory, at, word, word - taken * COUNT_UNIT)) {
                return taken;
            }
        }
    }

    /** This process's count. */
    int own() {
        return count(lvSlot(offset(mine())));
    }

    /** The sum of the counts of live processes. */
    long sumLive() {
        long sum = 0;
        int used = lvUsed();
        for (int i = 0; i < used; i++) {
            long word = lvSlot(offset(i));
            if (count(word) > 0 && Pids.alive(pid(word))) {
                sum += count(word);
            }
        }
        return sum;
    }

    /** Frees the slots of dead processes and hands the sum of their counts to the callback. */
    void reclaimDead() {
        long sum = 0;
        int used = lvUsed();
        for (int i = 0; i < used; i++) {
            long at = offset(i);
            long word = lvSlot(at);
            if (pid(word) != 0 && !Pids.alive(pid(word)) && LONG.compareAndSet(memory, at, word, 0L)) {
                sum += count(word);
            }
        }
        if (sum > 0) {
            reclaimed.accept(sum);
        }
    }

    private int mine() {
        int slot = mine;
        if (slot < 0) {
            synchronized (CLAIM) {
                slot = mine;
                if (slot < 0) {
                    slot = claim();
                    mine = slot;
                }
            }
        }
        return slot;
    }

    /** This JVM's slot: one it claimed through another handle, else a free one, else a dead one's. */
    private int claim() {
        int used = lvUsed();
        for (int i = 0; i < used; i++) {
            if (pid(lvSlot(offset(i))) == Pids.SELF) {
                return i;
            }
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int i = 0; i < SLOTS; i++) {
                if (lvSlot(offset(i)) == 0 && LONG.compareAndSet(memory, offset(i), 0L, (long) Pids.SELF)) {
                    raiseUsed(i + 1);
                    return i;
                }
            }
            reclaimDead();
        }
        throw new IllegalStateException(owner + " has " + SLOTS + " live processes in its table already");
    }

    private void raiseUsed(int atLeast) {
        while (true) {
            int used = lvUsed();
            if (used >= atLeast || INT.compareAndSet(memory, usedOffset, used, atLeast)) {
                return;
            }
        }
    }

    private int lvUsed() {
        return Math.min(SLOTS, (int) INT.getVolatile(memory, usedOffset));
    }

    private long lvSlot(long at) {
        return (long) LONG.getVolatile(memory, at);
    }

    private long offset(int slot) {
        return tableOffset + 8L * slot;
    }

    private static int count(long word) {
        return (int) (word >>> 32);
    }

    private static int pid(long word) {
        return (int) word;
    }
}
