package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.proc.ProcessIds;

/**
 * A table of per-process counts in a shared segment: how many permits each process holds of a
 * {@link ShmSemaphore}, how many threads of each process wait for a {@link ShmLock}. A count belongs to
 * a live process; the count of a process that is gone can be taken back ({@link #reclaimDead}) or is
 * left out ({@link #sumLive}).
 *
 * <p><b>Memory layout.</b> A high-water mark (int, CAS) at {@code usedOffset}, and {@link #SLOTS}
 * slots of 16 bytes from {@code tableOffset}: {@code ID} (long: the process's identity,
 * {@link ProcessIds}: start time and pid, so that a reused pid is not taken for the owner; 0: free;
 * {@link #RECLAIMING} while a reclaimer empties it) and {@code COUNT} (long, ≥ 0). Slots are packed,
 * four to a cache line: a slot is written on the slow paths of a lock and on every acquire and release
 * of a semaphore, whose count word all processes write anyway.
 *
 * <p><b>Concurrency.</b> A process claims one slot ({@code CAS ID 0 → self}, under a lock of this JVM
 * so that two of its threads never claim two) and keeps it while it lives; only its threads change the
 * count, by atomic read-modify-writes. Anyone may reclaim the slot of a dead identity: {@code CAS ID
 * dead → RECLAIMING}, take the count ({@code getAndSet 0}), then free the slot ({@code ID = 0}); the
 * one whose CAS wins owns the dead count. A reclaimer killed in between leaves its slot out of use.
 */
final class ProcessCounts {
    /** Slots per table: more than the processes that may attach to one segment at once. */
    static final int SLOTS = 512;
    static final long SLOT_BYTES = 16;
    static final long TABLE_BYTES = SLOTS * SLOT_BYTES;
    private static final long RECLAIMING = -1L;
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
        LONG.getAndAdd(memory, count(mine()), (long) n);
    }

    /** Takes up to {@code n} from this process's count, never below zero; returns how much it took. */
    int subtract(int n) {
        long at = count(mine());
        while (true) {
            long count = (long) LONG.getVolatile(memory, at);
            int taken = (int) Math.min(n, count);
            if (taken == 0 || LONG.compareAndSet(memory, at, count, count - taken)) {
                return taken;
            }
        }
    }

    /** This process's count. */
    long own() {
        return (long) LONG.getVolatile(memory, count(mine()));
    }

    /** The sum of the counts of live processes. */
    long sumLive() {
        long sum = 0;
        int used = lvUsed();
        for (int i = 0; i < used; i++) {
            long count = (long) LONG.getVolatile(memory, count(i));
            long id = lvId(i);
            if (count > 0 && id != 0 && id != RECLAIMING && ProcessIds.alive(id)) {
                sum += count;
            }
        }
        return sum;
    }

    /** Empties the slots of dead processes that hold a count and hands the sum to the callback. */
    void reclaimDead() {
        reclaim(false);
    }

    private void reclaim(boolean emptyOnesToo) {
        long sum = 0;
        int used = lvUsed();
        for (int i = 0; i < used; i++) {
            long id = lvId(i);
            if (id == 0 || id == RECLAIMING || id == ProcessIds.self()) {
                continue;
            }
            if (!emptyOnesToo && (long) LONG.getVolatile(memory, count(i)) == 0) {
                continue;
            }
            if (!ProcessIds.alive(id) && LONG.compareAndSet(memory, idOffset(i), id, RECLAIMING)) {
                sum += (long) LONG.getAndSet(memory, count(i), 0L);
                LONG.setRelease(memory, idOffset(i), 0L);
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
        long self = ProcessIds.self();
        int used = lvUsed();
        for (int i = 0; i < used; i++) {
            if (lvId(i) == self) {
                return i;
            }
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int i = 0; i < SLOTS; i++) {
                if (lvId(i) == 0 && LONG.compareAndSet(memory, idOffset(i), 0L, self)) {
                    raiseUsed(i + 1);
                    return i;
                }
            }
            reclaim(true);
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

    private long lvId(int slot) {
        return (long) LONG.getVolatile(memory, idOffset(slot));
    }

    private long idOffset(int slot) {
        return tableOffset + SLOT_BYTES * slot;
    }

    private long count(int slot) {
        return idOffset(slot) + 8;
    }
}
