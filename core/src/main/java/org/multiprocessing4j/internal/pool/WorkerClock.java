package org.multiprocessing4j.internal.pool;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.multiprocessing4j.PoolInsights;

/**
 * A worker's side of {@link PoolInsights}, in a pool built with {@code insights(true)} (else it reads no
 * clock and counts only tasks): where its time goes, counted in plain fields by the thread
 * that serves tasks (three readings of the clock per task, one per frame received), and copied into each result it sends back ({@code WorkerMain.Encoded}), so that
 * the thread writing results reads nothing another thread writes. No lock, no allocation (but for a task slower than the worker's slowest so far,
 * whose arguments are summarized).
 *
 * <p><b>Concurrency.</b> Every field is written and read by the worker's serving thread only.
 */
final class WorkerClock {
    private static final int SUMMARY_CHARS = 100;
    private static final int ITEM_CHARS = 40;

    /** Whether the pool asked for insights. */
    final boolean on;
    long tasks;
    /** The clock's last reading: where the next interval starts (each reading ends one part and starts the next). */
    long last;
    long waiting;
    long deserializing;
    long working;
    long serializing;
    /** The slowest times working seen here, unordered; a task slower than the least of them is reported. */
    private final long[] slowest = new long[PoolInsights.SLOWEST];

    /** The last task's time working, and a summary of its arguments if it is among the slowest (else null). */
    long lastWork;
    String lastSlow;

    WorkerClock(boolean on) {
        this.on = on;
        this.last = now();
    }

    /** The clock, if insights are on (else 0: nothing is measured). */
    long now() {
        return on ? System.nanoTime() : 0;
    }

    /** Work arrived: the time since the last reading was spent waiting for it. */
    void waited() {
        if (!on) {
            return;
        }
        long now = System.nanoTime();
        waiting += now - last;
        last = now;
    }

    /** The result is encoded: the time since the task ended was spent serializing it. */
    void serialized() {
        if (!on) {
            return;
        }
        long now = System.nanoTime();
        serializing += now - last;
        last = now;
    }

    /**
     * Counts a task whose arguments were ready at {@code ready} and that ends now; the time from the
     * last reading to {@code ready} was spent deserializing it.
     */
    void ran(int items, long ready, Object arguments) {
        tasks += items;
        if (!on) {
            return;
        }
        long end = System.nanoTime();
        deserializing += ready - last;
        last = end;
        lastWork = end - ready;
        working += lastWork;
        lastSlow = isSlowest(lastWork) ? summarize(arguments) : null;
    }

    private boolean isSlowest(long work) {
        int least = 0;
        for (int i = 1; i < slowest.length; i++) {
            if (slowest[i] < slowest[least]) {
                least = i;
            }
        }
        if (work <= slowest[least]) {
            return false;
        }
        slowest[least] = work;
        return true;
    }

    /** A short text of a task's arguments: a chunk's items, or what a lambda captured. */
    static String summarize(Object arguments) {
        try {
            if (arguments instanceof Object[] items) {
                StringBuilder s = new StringBuilder("[");
                for (int i = 0; i < items.length && s.length() < SUMMARY_CHARS; i++) {
                    s.append(i == 0 ? "" : ", ").append(clip(String.valueOf(items[i]), ITEM_CHARS));
                }
                return clip(s.append(']').toString(), SUMMARY_CHARS);
            }
            if (arguments == null) {
                return "?";
            }
            Class<?> type = arguments.getClass();
            if (type.isHidden()) { // a lambda: its captured values are its arguments
                StringBuilder s = new StringBuilder("captures (");
                boolean first = true;
                for (Field f : type.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    s.append(first ? "" : ", ").append(clip(String.valueOf(f.get(arguments)), ITEM_CHARS));
                    first = false;
                }
                return clip(s.append(')').toString(), SUMMARY_CHARS);
            }
            return clip(String.valueOf(arguments), SUMMARY_CHARS);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return arguments.getClass().getName();
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
