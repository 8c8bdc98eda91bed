package org.multiprocessing4j.internal.queue;

import static org.multiprocessing4j.internal.queue.QueueLayout.*;
import static org.multiprocessing4j.internal.queue.RingWords.PID;
import static org.multiprocessing4j.internal.queue.RingWords.SELF;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.proc.ProcessIds;

/**
 * What a {@link Ring} does about the processes that died using it: it asks whether a record's writer or
 * taker lives, releases the records dead consumers took, and gives back the permits dead producers
 * reserved ({@code PROCS}).
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Failure.</i> A producer killed after its claim and before its commit leaves a
 * {@code CLAIMED} record: a consumer that waits behind it finds its writer dead, takes it and releases
 * it unread (the message was never put: its {@code put} had not returned); a writer whose claim was
 * taken over so (only if it was wrongly found dead) fails its commit CAS and puts again. Killed
 * between its permit and its claim, its permit is pending in its {@code PROCS} entry and a producer
 * or joiner about to sleep gives it back. A consumer killed while copying a message out loses that
 * message (at most once delivery, as Python's) but leaves its record {@code TAKEN} and uncounted: a
 * producer about to sleep releases and counts the {@code TAKEN} records of dead processes. Each
 * recovery errs towards one message more than maxsize (a death in the one store between a mark and
 * its permit), never towards a hang. Liveness is checked by a side about to sleep and by a
 * non-blocking poll, never on the spinning path, and a writer found alive is not asked about again
 * for {@link #ALIVE_FOR_NANOS}.
 *
 * <p><i>Concurrency.</i> Any thread of the process may call anything. The liveness hint and
 * {@code recoveredAt} are racy hints: a stale value sends a check to {@code /proc} again, or delays a
 * dead writer's drop by {@link #ALIVE_FOR_NANOS}. {@code procEntry} is set once, under this object's
 * monitor.
 */
final class RingRecovery {
    /** How often a process looks for the leftovers of dead processes, at most. */
    static final long RECOVER_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ALIVE_FOR_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A {@code PROCS} identity with this bit is being recovered by the process it names otherwise. */
    private static final long RECOVERING = 1L << 31;
    private static final long UNREGISTERED = -2;

    private final Ring ring;
    /** The last claimed record's word whose writer was found alive, and when (racy: a hint only). */
    private long aliveWord;
    private long aliveOwner;
    private long aliveSince;
    /** This process's {@code PROCS} entry's offset, -1 if the table was full, or {@link #UNREGISTERED}. */
    private volatile long procEntry = UNREGISTERED;
    /** When this process last looked for the leftovers of dead processes (racy: a hint only). */
    private long recoveredAt = System.nanoTime() - RECOVER_EVERY_NANOS;

    RingRecovery(Ring ring) {
        this.ring = ring;
    }

    /**
     * Whether the process that claimed or took the record at {@code position} (sequence word {@code v})
     * is alive: the process the slot's {@code OWNER} names, pid and start time, so that a pid reused by a
     * new process does not keep a dead writer's record for ever; by the pid alone if {@code OWNER} is not
     * stored yet. A word found alive is not asked about again for {@link #ALIVE_FOR_NANOS}: asking reads
     * {@code /proc}, and a consumer may meet the same record, still being written, many times.
     */
    boolean holderAlive(long position, long v) {
        long owner = ring.lvOwner(position);
        boolean known = ownerMatches(owner, v);
        if (known ? owner == SELF : pidOf(v) == PID) {
            return true;
        }
        long now = System.nanoTime();
        if (v == aliveWord && owner == aliveOwner && now - aliveSince < ALIVE_FOR_NANOS) {
            return true;
        }
        if (known ? !ProcessIds.alive(owner) : ProcessIds.identityOf(pidOf(v)) == 0) {
            return false;
        }
        aliveWord = v;
        aliveOwner = owner;
        aliveSince = now;
        return true;
    }

    /**
     * The slots from the tail position {@code t} are still held by the previous lap: if by a record
     * a dead consumer took, release that record. Walks back from the previous lap's position to the
     * record's first slot.
     */
    void reclaim(long t, int k) {
        long blocked = t;
        long v = ring.lvSeq(t);
        if (v == free(ring.lap(t))) {
            long busy = ring.firstBusy(t, k);
            if (busy < 0) {
                return;
            }
            blocked = busy;
        } else if (lapOf(v) == ring.lap(t)) {
            return; // claimed in this lap already: the tail moves on
        }
        int slots = ring.slots;
        long old = blocked - slots;
        for (long p = old; p >= 0 && p > old - slots; p--) {
            long w = ring.lvSeq(p);
            if (w == free(ring.lap(p))) {
                continue; // a record's later slot: keep walking to its first
            }
            if (lapOf(w) == ring.lap(p) && stateOf(w) == TAKEN && p + kOf(w) > old && !holderAlive(p, w)
                    && ring.casSeq(p, w, word(ring.lap(p), kOf(w), PID, TAKEN))) {
                ring.soOwner(p, SELF);
                ring.release(p, kOf(w));
            }
            return;
        }
    }

    /**
     * Gives back what processes that died left behind, at most once a {@link #RECOVER_EVERY_NANOS} per
     * process (a blocked side calls it before each sleep): the permits a producer took and had not
     * claimed slots for ({@code PROCS}), and the records a consumer took and had not released and
     * counted ({@code TAKEN} records of a dead process, between a lap behind the head and the head).
     */
    void recoverDead() {
        long now = System.nanoTime();
        if (now - recoveredAt < RECOVER_EVERY_NANOS) {
            return;
        }
        recoveredAt = now;
        recoverPermits();
        recoverTaken();
    }

    private void recoverPermits() {
        for (int i = 0; i < PROC_ENTRIES; i++) {
            long entry = procOffset(i);
            long identity = ring.lvLong(entry + PROC_IDENTITY);
            if (identity == 0 || identity == SELF || ring.lvLong(entry + PROC_PENDING_PUTS) == 0
                    || ProcessIds.alive(identity & ~RECOVERING)) {
                continue; // a live process's permits are in flight, a few instructions from their claims
            }
            if (ring.casLong(entry + PROC_IDENTITY, identity, SELF | RECOVERING)) {
                long pending = ring.xchgLong(entry + PROC_PENDING_PUTS, 0L);
                if (pending > 0) {
                    ring.addLong(PUTS_OFFSET, -pending);
                    ring.wakeProducers();
                    if (ring.joinable) {
                        ring.joins.signalIfJoined();
                    }
                }
                ring.soLong(entry + PROC_IDENTITY, 0L);
            }
        }
    }

    private void recoverTaken() {
        long head = ring.lvLong(HEAD_OFFSET);
        for (long p = Math.max(0, head - ring.slots); p <= head; p++) {
            long w = ring.lvSeq(p);
            if (lapOf(w) == ring.lap(p) && stateOf(w) == TAKEN && !holderAlive(p, w)
                    && ring.casSeq(p, w, word(ring.lap(p), kOf(w), PID, TAKEN))) {
                ring.soOwner(p, SELF);
                ring.casLong(HEAD_OFFSET, p, p + kOf(w)); // it may have died before moving the head
                ring.release(p, kOf(w));
            }
        }
    }

    // ---- this process's PROCS entry

    /** This process's {@code PROCS} entry (registered at the first put), or -1 if the table is full. */
    long entry() {
        long entry = procEntry;
        if (entry != UNREGISTERED) {
            return entry;
        }
        synchronized (this) {
            if (procEntry == UNREGISTERED) {
                procEntry = register();
            }
            return procEntry;
        }
    }

    private long register() {
        for (int i = 0; i < PROC_ENTRIES; i++) {
            if (ring.casLong(procOffset(i) + PROC_IDENTITY, 0L, SELF)) {
                return procOffset(i);
            }
        }
        recoverPermits(); // entries of dead processes with permits pending become free
        for (int i = 0; i < PROC_ENTRIES; i++) {
            long entry = procOffset(i);
            long identity = ring.lvLong(entry + PROC_IDENTITY);
            if ((identity == 0 || ring.lvLong(entry + PROC_PENDING_PUTS) == 0 && !ProcessIds.alive(identity & ~RECOVERING))
                    && ring.casLong(entry + PROC_IDENTITY, identity, SELF)) { // free, or a dead process's with nothing pending
                return entry;
            }
        }
        return -1; // more producers than entries: this one's permits are not recovered if it is killed
    }

    /** Counts a permit this process is about to take as pending in its entry ({@code entry} from {@link #entry}). */
    void mark(long entry) {
        if (entry >= 0) {
            ring.addLong(entry + PROC_PENDING_PUTS, 1);
        }
    }

    /** Takes back {@link #mark}: the permit was claimed for, or given back. */
    void unmark(long entry) {
        if (entry >= 0) {
            ring.addLong(entry + PROC_PENDING_PUTS, -1);
        }
    }

    /** Frees this process's entry as it detaches, unless permits are still pending in it. */
    void unregister() {
        long entry = procEntry;
        if (entry >= 0 && ring.lvLong(entry + PROC_PENDING_PUTS) == 0) {
            ring.casLong(entry + PROC_IDENTITY, SELF, 0L);
        }
    }
}
