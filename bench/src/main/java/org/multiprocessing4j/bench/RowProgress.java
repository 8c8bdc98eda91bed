package org.multiprocessing4j.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.multiprocessing4j.Progress;
import org.multiprocessing4j.internal.launch.ConsoleLine;

/**
 * The progress of one workload's runs (every side of every round) while {@code mp4j bench} measures it.
 * On a terminal, one bar redrawn in place below the finished runs' lines
 * ({@code [event wake]  40% |████████            | 8/20 runs [00:14<00:21]  round 3/5 mp4j AOT cache}),
 * through the core's {@link ConsoleLine}, so the workloads' own output never lands inside it. Elsewhere
 * (a log, a pipe) the plain lines alone: each run's line as it starts, its figures as it ends.
 *
 * <p><b>Concurrency.</b> Called by the bench's one thread.
 */
final class RowProgress {
    private static final int WIDTH = 20;
    private static final String[] EIGHTHS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

    private final PrintStream out;
    private final boolean inPlace;
    private final String label;
    private final long total;
    private final long startedAt = System.nanoTime();
    private long done;
    private long failed;

    RowProgress(PrintStream out, boolean inPlace, String label, long total) {
        this.out = out;
        this.inPlace = inPlace;
        this.label = label;
        this.total = total;
    }

    /** In place if {@code out} is this JVM's standard output and that is a terminal; else plain lines. */
    static RowProgress on(PrintStream out, String label, long total) {
        java.io.Console console = System.console();
        boolean terminal = out == System.out && console != null && console.isTerminal();
        return new RowProgress(out, terminal, label, total);
    }

    /** A run begins: {@code what} is its round and side. */
    void running(String what) {
        if (inPlace) {
            ConsoleLine.draw(out, bar() + "  " + what.strip());
        } else {
            out.printf("  [%s] %s", label, what);
            out.flush();
        }
    }

    /** The run that {@link #running} announced has ended: {@code figures} say how (or that it failed). */
    void ended(String what, String figures, boolean ok) {
        done++;
        failed += ok ? 0 : 1;
        if (inPlace) {
            ConsoleLine.end(out, "  [" + label + "] " + what + figures);
        } else {
            out.println(figures);
            out.flush();
        }
    }

    /** {@code runs} will not run (their side failed): counted as done, and failed. */
    void skipped(long runs) {
        done += runs;
        failed += runs;
    }

    /** Every run of the workload has ended: on a terminal, the bar's last state stays as a line. */
    void finish() {
        if (inPlace) {
            ConsoleLine.end(out, bar());
        }
    }

    Progress progress() {
        return new Progress(label, done, failed, total, Duration.ofNanos(System.nanoTime() - startedAt));
    }

    /** {@code [label]  40% |████████            | 8/20 runs [00:14<00:21]}, and the failures if any. */
    String bar() {
        Progress p = progress();
        double fraction = Math.min(1, p.fraction());
        int eighths = (int) Math.floor(fraction * WIDTH * 8);
        StringBuilder s = new StringBuilder("  [").append(label).append("] ")
                .append(String.format(Locale.ROOT, "%3d%% |", (int) Math.floor(100 * fraction)))
                .append("█".repeat(eighths / 8)).append(EIGHTHS[eighths % 8]);
        s.append(" ".repeat(Math.max(0, WIDTH - (eighths + 7) / 8)));
        s.append("| ").append(p.done()).append('/').append(p.total()).append(" runs [").append(clock(p.elapsed()))
                .append('<').append(p.eta().map(RowProgress::clock).orElse("?")).append(']');
        if (p.failed() > 0) {
            s.append(", ").append(p.failed()).append(" failed");
        }
        return s.toString();
    }

    private static String clock(Duration d) {
        long seconds = d.toSeconds();
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }
}
