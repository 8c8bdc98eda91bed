package org.multiprocessing4j.internal.shm;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The segments this process has attached, by name: one {@link Mapping}, and one slot in the segment's
 * attach table, per segment and process, however many handles of it the process makes or deserializes.
 * Every kind goes through here: locks, semaphores, events, barriers, conditions, queues, pipes, shared
 * values and arrays, raw shared memory.
 *
 * <p><b>Lifecycle.</b> Each {@link Segment} is a lease on its mapping: {@link #acquire} counts one
 * more, {@link #release} one fewer, on an explicit {@code close()} or, for the handle that became
 * unreachable without one, from the {@link #CLEANER}. When the count reaches 0 the process detaches
 * (its slot cleared, the memory unmapped, the file removed if no live process is attached any more) —
 * unless a handle of it was serialized here and is still on its way ({@link #handOff}): then the
 * mapping <i>lingers</i>, keeping the segment for the process it was sent to, until every handoff
 * has arrived ({@link #arrived}, counted in the segment's {@code HANDOFFS} word) or no process this
 * one started is alive any more to receive it. A virtual thread looks at the lingering mappings every
 * {@link #WATCH_PERIOD_MILLIS} (at its children every 100 ms) and ends when there are none. A lingering mapping that is acquired
 * again is simply in use again.
 *
 * <p><b>Concurrency.</b> {@code Attachments.class} guards the table and every mapping's counts; a
 * mapping is made (the file mapped, the slot claimed) under it, so two threads opening the same name
 * share one mapping.
 */
final class Attachments {
    static final long WATCH_PERIOD_MILLIS = 10;
    private static final long CHILD_CHECK_NANOS = 100_000_000;
    static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("mp4j-segment-cleaner").factory());
    private static final Map<String, Mapping> BY_NAME = new HashMap<>(); // guarded by Attachments.class
    private static final Set<Mapping> LINGERING = new HashSet<>();      // guarded by Attachments.class
    private static final List<Mapping> UNMAP_LATER = new ArrayList<>(); // guarded by Attachments.class
    private static Thread watch;                                       // guarded by Attachments.class

    private Attachments() {}

    /** Makes a new mapping: the file mapped and a slot claimed. */
    interface Opener {
        Mapping open();
    }

    /**
     * One more lease on this process's mapping of {@code name}: the one it has, if it still is the
     * file under that name and holds {@code kind} (any if -1), or a new one from {@code opener}.
     */
    static synchronized Mapping acquire(String name, int kind, Opener opener) {
        Mapping m = BY_NAME.get(name);
        if (m != null && !m.current()) {
            BY_NAME.remove(name); // unlinked (and perhaps made again): what this process has is not it
            m = null;
        }
        if (m != null) {
            int actual = m.kind();
            if (kind >= 0 && actual != kind) {
                throw new IllegalStateException("segment '" + name + "' holds a " + Segments.kindName(actual)
                        + ", not a " + Segments.kindName(kind));
            }
        } else {
            m = opener.open();
            BY_NAME.put(name, m);
        }
        m.leases++;
        LINGERING.remove(m);
        return m;
    }

    /** A mapping just made by a create: this process's for {@code m.name} from now on, with one lease. */
    static synchronized void created(Mapping m) {
        BY_NAME.put(m.name, m);
        m.leases = 1;
    }

    /**
     * One lease fewer; the last detaches this process (removing the file if {@code removeIfLast} and
     * nobody else is attached), or lingers while a handle serialized here is on its way.
     */
    static synchronized void release(Mapping m, boolean removeIfLast) {
        if (--m.leases > 0 || m.detached) {
            return;
        }
        if (removeIfLast && m.handedOff && m.lvHandoffs() > 0 && BY_NAME.get(m.name) == m) {
            m.lingeringSince = System.nanoTime();
            LINGERING.add(m);
            startWatch();
            return;
        }
        detach(m, removeIfLast);
    }

    private static void detach(Mapping m, boolean removeIfLast) { // the caller holds Attachments.class
        m.detached = true;
        BY_NAME.remove(m.name, m);
        LINGERING.remove(m);
        if (!m.detach(removeIfLast)) {
            UNMAP_LATER.add(m);
            startWatch();
        }
    }

    /** A handle of {@code m} is being serialized here, for another process. */
    static synchronized void handOff(Mapping m) {
        if (m.detached) {
            return; // closed here already: the name travels, and who reads it finds what is left
        }
        m.handedOff = true;
        m.handOff();
    }

    /** A handle of segment {@code name} was deserialized here: its handoff is complete. */
    static synchronized void arrived(String name) {
        Mapping m = BY_NAME.get(name);
        if (m != null) {
            m.arrived();
        }
    }

    /** How many handles this process has open on {@code name}'s mapping (for tests). */
    static synchronized int leases(String name) {
        Mapping m = BY_NAME.get(name);
        return m == null ? 0 : m.leases;
    }

    private static void startWatch() { // the caller holds Attachments.class
        if (watch == null) {
            watch = Thread.ofVirtual().name("mp4j-segment-handoffs").start(Attachments::watch);
        }
    }

    private static void watch() {
        long lastChildCheck = System.nanoTime() - 2 * CHILD_CHECK_NANOS;
        boolean receivers = true;
        while (true) {
            try {
                Thread.sleep(WATCH_PERIOD_MILLIS);
            } catch (InterruptedException e) {
                // keep watching: a lingering mapping must be let go of
            }
            // Listing the children reads /proc: at most every CHILD_CHECK_NANOS, not every period.
            long checkedAt = lastChildCheck;
            if (System.nanoTime() - lastChildCheck > CHILD_CHECK_NANOS) {
                checkedAt = System.nanoTime();
                receivers = anyChildAlive();
                lastChildCheck = checkedAt;
            }
            synchronized (Attachments.class) {
                for (Mapping m : List.copyOf(LINGERING)) {
                    // "no receiver" counts only from a look at the children taken after it began to linger
                    boolean noReceiver = !receivers && checkedAt - m.lingeringSince > 0;
                    if (m.leases == 0 && (m.lvHandoffs() <= 0 || noReceiver)) {
                        detach(m, true);
                    }
                }
                UNMAP_LATER.removeIf(Mapping::unmap);
                if (LINGERING.isEmpty() && UNMAP_LATER.isEmpty()) {
                    watch = null;
                    return;
                }
            }
        }
    }

    /** Whether a process this JVM started (its resource tracker aside) is alive to receive a handoff. */
    private static boolean anyChildAlive() {
        long tracker = ResourceTracker.pid();
        return ProcessHandle.current().children().anyMatch(p -> p.pid() != tracker && p.isAlive());
    }
}
