package org.multiprocessing4j.internal.launch;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The opt-in launch trace, {@code -Dmp4j.trace.launch=true}: where one child's start-up and exit go,
 * phase by phase, stamped with {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux, so the parent's
 * and the child's stamps are on one clock).
 *
 * <pre>
 *  parent: start() called → ProcessBuilder.start returned → launch frame written
 *  child:  main entered → frame read and checked → target deserialized → target started
 *          → target returned → JVM exit began (a shutdown hook)
 *  parent: the exit seen (the process reaper) → join() returned
 * </pre>
 *
 * <p>The child keeps its stamps and, from its shutdown hook, writes them as one line on its stderr,
 * behind {@link #MARKER}; the parent's stderr pump takes that line out of the stream
 * ({@link OutputPump}), so no new channel is needed. At {@code join()} the parent prints one line per
 * child on its own stderr ({@link Timeline#line()}) and keeps the last {@value #KEPT} timelines for
 * {@link #recent()} (the bench reads them).
 *
 * <p>Off, it costs nothing: {@link #ENABLED} is a static final, every stamp site tests it, and no
 * object is made.
 *
 * <p><b>Concurrency.</b> A child's stamps are written by its main thread and read by its shutdown hook
 * (after main has returned or called exit, which orders them). A parent's instance is stamped by the
 * launching thread, the stderr pump and the process reaper; its stamps are guarded by the instance's
 * monitor, and {@link #joined} reports it once.
 */
public final class LaunchTrace {
    /** Whether tracing is on in this JVM; children inherit the setting with the other {@code -Dmp4j.*}. */
    public static final boolean ENABLED = Boolean.getBoolean("mp4j.trace.launch");
    /** How the child's report line starts: RS, a tag, a space; then its six stamps. */
    static final byte[] MARKER = "\u001emp4j:trace ".getBytes(StandardCharsets.US_ASCII);
    static final int KEPT = 256;

    static final int START = 0;
    static final int SPAWNED = 1;
    static final int SENT = 2;
    static final int MAIN = 3;
    static final int FRAME = 4;
    static final int DESERIALIZED = 5;
    static final int TARGET_STARTED = 6;
    static final int TARGET_RETURNED = 7;
    static final int EXIT_BEGAN = 8;
    static final int EXIT_SEEN = 9;
    static final int JOINED = 10;
    private static final int STAMPS = 11;

    private static final long[] CHILD = new long[EXIT_BEGAN - MAIN + 1]; // this JVM's, as a child
    private static final ArrayDeque<Timeline> RECENT = new ArrayDeque<>(); // guarded by itself

    private final long pid;
    private final long[] stamps = new long[STAMPS]; // guarded by this
    private volatile boolean spare;
    private final AtomicBoolean reported = new AtomicBoolean();

    LaunchTrace(long pid) {
        this.pid = pid;
        stamp(SPAWNED);
    }

    // ---- in the child --------------------------------------------------------------------------

    /** Stamps a child-side point; the first ({@link #MAIN}) also arranges the report at exit. */
    static void child(int point) {
        if (!ENABLED) {
            return;
        }
        CHILD[point - MAIN] = System.nanoTime();
        if (point == MAIN) {
            Runtime.getRuntime().addShutdownHook(new Thread(null, new Report(), "mp4j-launch-trace", 128 * 1024));
        }
    }

    /** The shutdown hook: the exit stamp, then the report line straight on file descriptor 2. */
    private static final class Report implements Runnable {
        @Override
        public void run() {
            CHILD[EXIT_BEGAN - MAIN] = System.nanoTime();
            StringBuilder line = new StringBuilder(new String(MARKER, StandardCharsets.US_ASCII));
            for (int i = 0; i < CHILD.length; i++) {
                line.append(i == 0 ? "" : " ").append(CHILD[i]);
            }
            line.append('\n');
            try {
                // one write (below PIPE_BUF, so not interleaved), on fd 2 even if System.err was replaced
                new FileOutputStream(FileDescriptor.err).write(line.toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // stderr closed: no trace for this child
            }
        }
    }

    // ---- in the parent -------------------------------------------------------------------------

    /** {@link System#nanoTime()} when tracing, else 0 (and no clock read). */
    public static long now() {
        return ENABLED ? System.nanoTime() : 0;
    }

    /** {@code start()} was called at {@code calledAt} ({@link #now()}) and launched {@code jvm}. */
    public static void started(LaunchedJvm jvm, long calledAt) {
        LaunchTrace trace = jvm.trace();
        if (trace != null) {
            synchronized (trace) {
                trace.stamps[START] = calledAt;
            }
        }
    }

    /**
     * {@code join()} (or the exit future) is returning for {@code jvm}: the first time, the timeline is
     * completed, printed on stderr and kept.
     */
    public static void joined(LaunchedJvm jvm, String name) {
        LaunchTrace trace = jvm.trace();
        if (trace == null || !trace.reported.compareAndSet(false, true)) {
            return;
        }
        trace.stamp(JOINED);
        Timeline timeline = trace.timeline(name);
        synchronized (RECENT) {
            if (RECENT.size() == KEPT) {
                RECENT.removeFirst();
            }
            RECENT.addLast(timeline);
        }
        System.err.println(timeline.line());
    }

    /** The last {@value #KEPT} timelines this JVM printed, oldest first. */
    public static List<Timeline> recent() {
        synchronized (RECENT) {
            return List.copyOf(RECENT);
        }
    }

    synchronized void stamp(int point) {
        if (stamps[point] == 0) {
            stamps[point] = System.nanoTime();
        }
    }

    /** A frame was written: a spare's warm-up, then its real message; the last one counts. */
    synchronized void sent() {
        stamps[SENT] = System.nanoTime();
    }

    void taken() {
        spare = true;
    }

    /** The child's report line, after {@link #MARKER}: six stamps, 0 for one it did not reach. */
    void childReport(String text) {
        String[] fields = text.trim().split(" ");
        if (fields.length != CHILD.length) {
            return; // not ours, or cut short: the timeline shows the parent's stamps alone
        }
        long[] parsed = new long[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) {
                parsed[i] = Long.parseLong(fields[i]);
            }
        } catch (NumberFormatException e) {
            return;
        }
        synchronized (this) {
            System.arraycopy(parsed, 0, stamps, MAIN, parsed.length);
        }
    }

    synchronized Timeline timeline(String name) {
        return new Timeline(name, pid, spare, stamps.clone());
    }

    /**
     * One child's launch, as stamps ({@code System.nanoTime()}, 0 where a point was not reached: a
     * target that called {@code System.exit} never returned) and as phases in milliseconds.
     */
    public record Timeline(String name, long pid, boolean spare, long[] stamps) {
        /**
         * The phases, in order, in milliseconds; a phase whose end was not reached is left out, and one
         * whose start was not reached is measured from the last point before it that was.
         *
         * <ul>
         *   <li>{@code spawn}: {@code start()} to {@code ProcessBuilder.start} returned (the target
         *       serialized, the command built, fork and exec); for a spare, to the frame written;
         *   <li>{@code boot}: to the child's {@code main} (the JVM's own start-up; not for a spare);
         *   <li>{@code frame}: to the launch frame read and its MAC checked;
         *   <li>{@code deserialize}: the target deserialized;
         *   <li>{@code to target}: the parent watch, the process table, the start marker;
         *   <li>{@code run}: the target itself;
         *   <li>{@code to exit}: from the target's return to the JVM's shutdown hooks (non-daemon
         *       threads, {@code DestroyJavaVM});
         *   <li>{@code exit}: from the hooks to the parent's process reaper seeing the exit;
         *   <li>{@code join}: to {@code join()} returning (output drained).
         * </ul>
         */
        public Map<String, Double> phases() {
            Map<String, Double> phases = new LinkedHashMap<>();
            if (spare) {
                phase(phases, "spawn", SENT, START);
            } else {
                phase(phases, "spawn", SPAWNED, START);
                phase(phases, "boot", MAIN, SPAWNED);
            }
            phase(phases, "frame", FRAME, spare || stamps[SENT] > stamps[MAIN] ? SENT : MAIN); // it waits for both
            phase(phases, "deserialize", DESERIALIZED, FRAME);
            phase(phases, "to target", TARGET_STARTED, DESERIALIZED);
            phase(phases, "run", TARGET_RETURNED, TARGET_STARTED);
            phase(phases, "to exit", EXIT_BEGAN, TARGET_RETURNED);
            phase(phases, "exit", EXIT_SEEN, EXIT_BEGAN);
            phase(phases, "join", JOINED, EXIT_SEEN);
            return phases;
        }

        private void phase(Map<String, Double> phases, String name, int to, int from) {
            if (stamps[to] == 0) {
                return;
            }
            int f = from;
            while (f > START && stamps[f] == 0) {
                f--;
            }
            if (stamps[f] != 0) {
                phases.put(name, (stamps[to] - stamps[f]) / 1e6);
            }
        }

        /** {@code start()} called to {@code join()} returned, in milliseconds; NaN if either is missing. */
        public double totalMillis() {
            return stamps[START] == 0 || stamps[JOINED] == 0 ? Double.NaN : (stamps[JOINED] - stamps[START]) / 1e6;
        }

        /** What the parent prints at {@code join()}. */
        public String line() {
            StringBuilder sb = new StringBuilder("mp4j launch trace: ").append(name).append(" (pid ").append(pid)
                    .append(spare ? ", warm spare" : "").append("):");
            phases().forEach((phase, ms) -> sb.append(' ').append(phase).append(' ').append(ms(ms)).append(','));
            sb.setLength(sb.length() - 1);
            return sb.append("; total ").append(ms(totalMillis())).append(" ms").toString();
        }

        private static String ms(double ms) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
    }
}
