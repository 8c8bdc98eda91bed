package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Futex waits for virtual threads: a virtual thread that would sleep in {@code futex(2)} parks instead
 * ({@link LockSupport#park}), and one platform thread per process, the waiter, sleeps in the kernel on
 * behalf of all of them, on up to {@link Futex#MAX_WAITV} words at once ({@code futex_waitv}), and
 * unparks them when their words are woken or change. A native call pins a virtual thread's carrier; a
 * park does not, so any number of virtual threads can wait while the carriers run the code that will
 * release them. Platform threads keep the direct {@code futex} call ({@link Futex#await}).
 *
 * <p><b>Implementation notes.</b>
 *
 * <p><i>Protocol.</i> A waiting virtual thread checks its words first (a word that no longer holds the
 * expected value is {@link Futex.Wake#VALUE_CHANGED}, as {@code EAGAIN} is), then posts a
 * {@link Waiter} to the inbox, rings the doorbell (a futex word of this process that the waiter always
 * waits on too) and parks. The waiter admits new waiters (again {@code EAGAIN} if a word has moved),
 * groups them by word address, and sleeps in one {@code futex_waitv} on the doorbell and every word with
 * a waiter, each with the value it last saw ("armed"). When it returns it fires waiters, oldest first:
 * one for a word the kernel reports woken; up to {@link #FAN_OUT} for a word whose value moved since it
 * was armed (a wake may have come while the waiter was outside the kernel, and the kernel does not say
 * how many a waker meant to wake). A waker in this process says how many ({@link #woke}, from
 * {@link Futex#wake}), so {@code wake(word, 1)} fires one virtual thread, as the kernel would. While the
 * oldest waiter of a word still waits for a value the word no longer holds (the rest of a broadcast to
 * more than {@code FAN_OUT}), the waiter fires {@code FAN_OUT} more every {@link #POLL_NANOS}: a
 * broadcast reaches everyone, and a thousand virtual threads on one queue's word are not all woken by
 * every item (they would all re-check and all but one sleep again).
 *
 * <p><i>Concurrency.</i> The inbox, the doorbell, {@link Word#credit} and {@link Waiter#state} are
 * shared; everything else ({@link Word#armed}, {@link Word#waiters}, the deadlines) is the waiter
 * thread's alone. A waiter's state moves once, from {@code WAITING} to {@code FIRED} or {@code EXPIRED}
 * (by the waiter thread) or to {@code CANCELLED} (by its own thread, on an interrupt): whichever CAS wins
 * decides what the wait returns, so a firing is never lost to a timeout.
 *
 * <p><i>Interrupts and timeouts.</i> The virtual thread parks without a timeout; the waiter thread keeps
 * the deadlines (a heap, earliest first), sleeps in the kernel until the earliest, and ends a wait whose
 * deadline has passed ({@code EXPIRED}: {@link Futex.Wake#TIMED_OUT}). A timed park would schedule a
 * timer task and cancel it again on every wake-up, each time waking the scheduler's timer thread: two
 * more thread wake-ups per wait, on the wake's path. An interrupt during the wait unparks the thread
 * ({@link Futex.Wake#INTERRUPTED}, the interrupt status kept).
 * A thread that enters the wait already interrupted waits as a platform thread in {@code futex} does,
 * through interrupts, and gets its status back on return (so a caller that does not take interrupts
 * does not spin).
 *
 * <p><i>Failure.</i> A word whose segment was closed is dropped and its waiters fired (they re-check and
 * see the closed segment). An error of the kernel call other than a timeout, a signal or a moved value
 * fires every waiter. Without {@code futex_waitv} (Linux before 5.16) the waiter polls the words every
 * {@link #POLL_NANOS}.
 */
final class FutexWaiter {
    /** How many waiters of one word one wake or change fires at most at once (the rest: every {@link #POLL_NANOS}). */
    static final int FAN_OUT = 16;
    /** How often the words are re-read when not all of them fit one kernel wait, or a broadcast goes on. */
    static final long POLL_NANOS = 1_000_000L;
    /** Timeouts are capped here (146 years), so that a deadline never overflows. */
    private static final long MAX_TIMEOUT_NANOS = 1L << 62;
    private static final int COMPACT_AFTER = 1024;
    private static final long WAITV_SIZE = 24;
    private static final int FUTEX2_SIZE_U32 = 2;

    private static final VarHandle INT = JAVA_INT.varHandle();
    /** The doorbell: bumped by every new waiter or cancellation; the waiter thread always waits on it. */
    private static final MemorySegment DOORBELL = Arena.global().allocate(8, 8).asSlice(0, 4);
    private static final ConcurrentLinkedQueue<Waiter> INBOX = new ConcurrentLinkedQueue<>();
    /** The words waited on, by address; written by the waiter thread only, read by wakers. */
    private static final ConcurrentHashMap<Long, Word> WORDS = new ConcurrentHashMap<>();
    private static final LongAdder DEAD_ENTRIES = new LongAdder();
    private static volatile boolean sleeping;
    private static volatile boolean started;

    private FutexWaiter() {}

    /**
     * Parks the current (virtual) thread while every word {@code words[i]} holds {@code expected[i]}, at
     * most {@code timeoutNanos} ({@code < 0}: no limit). May return spuriously.
     */
    static Futex.Wake await(MemorySegment[] words, int[] expected, long timeoutNanos) {
        for (int i = 0; i < words.length; i++) {
            if (lvInt(words[i]) != expected[i]) {
                return Futex.Wake.VALUE_CHANGED;
            }
        }
        if (timeoutNanos == 0) {
            return Futex.Wake.TIMED_OUT;
        }
        start();
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + Math.min(timeoutNanos, MAX_TIMEOUT_NANOS);
        Waiter me = new Waiter(Thread.currentThread(), words, expected, timeoutNanos > 0, deadline);
        INBOX.add(me);
        ring();
        boolean throughInterrupts = Thread.interrupted();
        try {
            while (true) {
                int state = me.state;
                if (state == Waiter.FIRED) {
                    return Futex.Wake.WOKEN;
                } else if (state == Waiter.EXPIRED) {
                    return Futex.Wake.TIMED_OUT;
                }
                // Untimed: the waiter thread keeps the deadline (a timed park would schedule, then
                // cancel, a timer task, waking the scheduler's timer thread twice per wait).
                LockSupport.park(FutexWaiter.class);
                if (Thread.interrupted() && !throughInterrupts) {
                    Thread.currentThread().interrupt();
                    return end(me, Futex.Wake.INTERRUPTED);
                }
            }
        } finally {
            if (throughInterrupts) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends a wait early: {@code why}, unless the waiter thread fired or expired it first. */
    private static Futex.Wake end(Waiter me, Futex.Wake why) {
        if (!me.cancel()) {
            return me.state == Waiter.EXPIRED ? Futex.Wake.TIMED_OUT : Futex.Wake.WOKEN;
        }
        DEAD_ENTRIES.add(me.words.length);
        ring();
        return why;
    }

    /**
     * A waker of this process woke {@code count} threads on {@code word}: the waiter thread fires that
     * many of its waiters on the word when it sees the wake (see the class notes).
     */
    static void woke(MemorySegment word, int count) {
        if (!started || count <= 0) {
            return;
        }
        Word w = WORDS.get(word.address());
        if (w != null) {
            w.credit.accumulateAndGet(count, (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
        }
    }

    /** Loads the classes a virtual thread's wait uses (see {@link Futex#prepare}). */
    static void prepare() {
        Waiter ready = new Waiter(Thread.currentThread(), new MemorySegment[] {DOORBELL}, new int[] {0}, false, 0);
        ready.cancel();
        new Word(DOORBELL, 0).live();
    }

    private static void ring() {
        INT.getAndAdd(DOORBELL, 0L, 1);
        if (sleeping) {
            Futex.wakeOne(DOORBELL);
        }
    }

    private static void start() {
        if (started) {
            return;
        }
        synchronized (FutexWaiter.class) {
            if (!started) {
                Thread.ofPlatform().daemon().name("mp4j-futex-waiter").stackSize(256 * 1024)
                        .start(FutexWaiter::run);
                started = true;
            }
        }
    }

    // ---- the waiter thread -------------------------------------------------------------------------

    private static void run() {
        Loop loop = new Loop();
        while (true) {
            try {
                loop.once();
            } catch (RuntimeException | Error e) {
                fireAll(); // every waiter re-checks its condition; none is left parked on a waiter that failed
            }
        }
    }

    /** The waiter thread's state: its kernel wait vector and the words in it. */
    private static final class Loop {
        final Arena arena = Arena.ofConfined();
        final MemorySegment vector = arena.allocate(WAITV_SIZE * Futex.MAX_WAITV, 8);
        final MemorySegment timeout = arena.allocate(Futex.TIMESPEC_BYTES, 8);
        final MemorySegment state = Futex.captureState(arena);
        final Word[] slots = new Word[Futex.MAX_WAITV];
        /** The timed waiters, earliest deadline first (ended ones are dropped lazily). */
        final PriorityQueue<Waiter> timed = new PriorityQueue<>((a, b) -> Long.signum(a.deadline - b.deadline));
        int slotCount;
        Word woken;
        long compactedAt;
        int timedCompactAt = COMPACT_AFTER;

        void once() {
            int bell = lvInt(DOORBELL);
            admit();
            compactIfNeeded();
            boolean overflow = arm(bell);
            long now = System.nanoTime();
            Waiter next = expire(now);
            sleeping = true;
            VarHandle.fullFence(); // the flag before the kernel reads the doorbell (Dekker with ring)
            woken = null;
            try {
                if (!INBOX.isEmpty()) {
                    return;
                }
                if (Futex.waitvMissing()) {
                    long poll = next == null ? POLL_NANOS : Math.min(POLL_NANOS, next.deadline - now);
                    if (Futex.available()) {
                        Futex.sleep(DOORBELL, bell, poll);
                    } else {
                        LockSupport.parkNanos(poll);
                    }
                    return;
                }
                MemorySegment limit = MemorySegment.NULL;
                if (overflow || next != null) {
                    long until = overflow ? now + POLL_NANOS : next.deadline;
                    if (next != null && next.deadline - until < 0) {
                        until = next.deadline;
                    }
                    limit = Futex.timespec(timeout, until); // CLOCK_MONOTONIC, as System.nanoTime
                }
                long result = Futex.waitv(state, vector, slotCount, limit);
                if (result > 0 && result < slotCount) {
                    woken = slots[(int) result];
                    woken.fireFirst(); // before anything else: the wake's latency is the caller's
                } else if (result < 0 && !Futex.waitEnded(Futex.errno(state))) {
                    fireAll();
                }
            } finally {
                sleeping = false;
            }
        }

        /**
         * Fires the waiters due and fills the wait vector: the doorbell, then each word with waiters;
         * true if the words must be looked at again soon (some did not fit, or a broadcast is not done).
         */
        boolean arm(int bell) {
            put(0, DOORBELL.address(), bell);
            int n = 1;
            boolean overflow = false;
            for (Iterator<Word> it = WORDS.values().iterator(); it.hasNext(); ) {
                Word w = it.next();
                int value;
                try {
                    value = lvInt(w.segment);
                } catch (IllegalStateException closed) {
                    w.fireAll();
                    it.remove();
                    continue;
                }
                boolean moved = value != w.armed;
                if (w == woken || moved) {
                    int credit = w.credit.getAndSet(0);
                    int due = credit > 0 ? Math.min(credit, FAN_OUT) : moved ? FAN_OUT : 1;
                    w.fire(w == woken ? due - 1 : due); // the woken word's first fired already
                } else if (w.staleHead(value)) {
                    w.fire(FAN_OUT); // the rest of a broadcast, FAN_OUT at a time
                }
                w.armed = value;
                overflow |= w.staleHead(value);
                if (!w.live()) {
                    it.remove();
                } else if (n < Futex.MAX_WAITV) {
                    slots[n] = w;
                    put(n++, w.address, value);
                } else {
                    overflow = true;
                }
            }
            slotCount = n;
            return overflow;
        }

        private void put(int i, long address, int value) {
            long at = WAITV_SIZE * i;
            vector.set(JAVA_LONG, at, value & 0xffffffffL);
            vector.set(JAVA_LONG, at + 8, address);
            vector.set(JAVA_INT, at + 16, FUTEX2_SIZE_U32);
            vector.set(JAVA_INT, at + 20, 0);
        }

        /** Takes in the new waiters: fired at once if a word has moved, else queued on each word. */
        void admit() {
            Waiter x;
            while ((x = INBOX.poll()) != null) {
                if (x.state != Waiter.WAITING) {
                    continue;
                }
                if (moved(x)) {
                    x.fire();
                    continue;
                }
                for (int i = 0; i < x.words.length; i++) {
                    int value = x.expected[i];
                    MemorySegment segment = x.words[i];
                    WORDS.computeIfAbsent(segment.address(), a -> new Word(segment, value)).waiters.add(x);
                }
                if (x.timed) {
                    timed.add(x);
                }
            }
        }

        /**
         * Ends the waits whose deadline has passed ({@link Futex.Wake#TIMED_OUT}); returns the waiter
         * with the next deadline, or null if none waits with one.
         */
        Waiter expire(long now) {
            Waiter head;
            while ((head = timed.peek()) != null) {
                if (head.state != Waiter.WAITING) {
                    timed.poll();
                } else if (head.deadline - now <= 0) {
                    timed.poll();
                    head.expire();
                } else {
                    return head;
                }
            }
            return null;
        }

        private static boolean moved(Waiter x) {
            try {
                for (int i = 0; i < x.words.length; i++) {
                    if (lvInt(x.words[i]) != x.expected[i]) {
                        return true;
                    }
                }
                return false;
            } catch (IllegalStateException closed) {
                return true;
            }
        }

        /** Drops the cancelled waiters queued behind live ones, once enough have gathered. */
        void compactIfNeeded() {
            if (timed.size() > timedCompactAt) { // waits woken long before their deadline
                timed.removeIf(x -> x.state != Waiter.WAITING);
                timedCompactAt = Math.max(COMPACT_AFTER, 2 * timed.size());
            }
            long dead = DEAD_ENTRIES.sum();
            if (dead - compactedAt < COMPACT_AFTER) {
                return;
            }
            compactedAt = dead;
            for (Word w : WORDS.values()) {
                w.waiters.removeIf(x -> x.state != Waiter.WAITING);
            }
        }
    }

    private static void fireAll() {
        for (Word w : WORDS.values()) {
            w.fireAll();
        }
        WORDS.clear();
        Waiter x;
        while ((x = INBOX.poll()) != null) {
            x.fire();
        }
    }

    private static int lvInt(MemorySegment word) {
        return (int) INT.getVolatile(word, 0L);
    }

    /** One virtual thread's wait. */
    static final class Waiter {
        static final int WAITING = 0;
        static final int FIRED = 1;
        static final int CANCELLED = 2;
        static final int EXPIRED = 3;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        final MemorySegment[] words;
        final int[] expected;
        /** Whether the wait ends at {@link #deadline} (of {@link System#nanoTime()}). */
        final boolean timed;
        final long deadline;
        volatile int state;

        Waiter(Thread thread, MemorySegment[] words, int[] expected, boolean timed, long deadline) {
            this.thread = thread;
            this.words = words;
            this.expected = expected;
            this.timed = timed;
            this.deadline = deadline;
        }

        boolean fire() {
            if (STATE.compareAndSet(this, WAITING, FIRED)) {
                if (words.length > 1) {
                    DEAD_ENTRIES.add(words.length - 1); // still queued on its other words
                }
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        /** Ends the wait at its deadline (by the waiter thread); it is still queued on every word. */
        void expire() {
            if (STATE.compareAndSet(this, WAITING, EXPIRED)) {
                DEAD_ENTRIES.add(words.length);
                LockSupport.unpark(thread);
            }
        }

        boolean cancel() {
            return STATE.compareAndSet(this, WAITING, CANCELLED);
        }
    }

    /** One futex word with waiters: the waiter thread's, but for {@link #credit}. */
    static final class Word {
        final MemorySegment segment;
        final long address;
        int armed;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        /** How many wakes wakers of this process made on the word since the waiter last looked. */
        final AtomicInteger credit = new AtomicInteger();

        Word(MemorySegment segment, int armed) {
            this.segment = segment;
            this.address = segment.address();
            this.armed = armed;
        }

        /** Fires up to {@code count} waiters, oldest first. */
        void fire(int count) {
            Waiter x;
            while (count > 0 && (x = waiters.poll()) != null) {
                if (x.fire()) {
                    count--;
                }
            }
        }

        /** Fires the oldest waiter, if any: the kernel's one wake. */
        void fireFirst() {
            fire(1);
        }

        void fireAll() {
            fire(Integer.MAX_VALUE);
        }

        /** Whether the oldest waiter waits for a value the word no longer holds. */
        boolean staleHead(int value) {
            if (!live()) {
                return false;
            }
            Waiter head = waiters.peek();
            for (int i = 0; i < head.words.length; i++) {
                if (head.words[i].address() == address) {
                    return head.expected[i] != value;
                }
            }
            return false;
        }

        /** Whether a waiter still waits (those done at the head are dropped). */
        boolean live() {
            Waiter head;
            while ((head = waiters.peek()) != null && head.state != Waiter.WAITING) {
                waiters.poll();
            }
            return head != null;
        }
    }
}
