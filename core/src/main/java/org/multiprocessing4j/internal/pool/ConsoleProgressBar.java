package org.multiprocessing4j.internal.pool;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.multiprocessing4j.Progress;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.internal.launch.ConsoleLine;

/**
 * {@link ProgressListener#consoleBar()}: a tqdm-like bar, JDK only.
 * {@code map  42% |████████▍           | 420/1000 [00:03<00:04, 140.2 items/s]}, or without a total
 * {@code imap 420 [00:03, 140.2 items/s]}.
 *
 * <p>On a terminal it is drawn in place on {@code System.err} at most every 100 ms, through
 * {@link ConsoleLine} so that the workers' output copied to the console never lands inside it.
 * Otherwise (output redirected to a file or a pipe) it prints a whole line every few seconds and at
 * the end, so that a log is not flooded.
 *
 * <p><b>Concurrency.</b> One pool call's events come one at a time; calls that run at once share the
 * line: {@code lastDraw} is guarded by {@code this}.
 */
public final class ConsoleProgressBar implements ProgressListener {
    private static final int WIDTH = 20;
    private static final String[] EIGHTHS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    private final PrintStream out;
    private final boolean inPlace;
    private final long periodNanos;
    private long lastDraw;              // guarded by this

    ConsoleProgressBar(PrintStream out, boolean inPlace, Duration period) {
        this.out = out;
        this.inPlace = inPlace;
        this.periodNanos = period.toNanos();
    }

    /** In place on a terminal, plain lines every 5 s otherwise; on {@code System.err} either way. */
    public static ConsoleProgressBar create() {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new ConsoleProgressBar(System.err, terminal, Duration.ofMillis(terminal ? 100 : 5000));
    }

    @Override
    public synchronized void started(Progress progress) {
        lastDraw = System.nanoTime();
        if (inPlace) {
            ConsoleLine.draw(out, render(progress));
        }
    }

    @Override
    public synchronized void progress(Progress progress) {
        long now = System.nanoTime();
        if (now - lastDraw < periodNanos) {
            return;
        }
        lastDraw = now;
        if (inPlace) {
            ConsoleLine.draw(out, render(progress));
        } else {
            out.println(render(progress));
            out.flush();
        }
    }

    @Override
    public synchronized void finished(Progress progress) {
        if (inPlace) {
            ConsoleLine.end(out, render(progress));
        } else {
            out.println(render(progress));
            out.flush();
        }
    }

    /** One line for {@code p}: what tqdm shows, with the failures if any. */
    static String render(Progress p) {
        StringBuilder s = new StringBuilder(p.operation()).append(' ');
        String rate = String.format(Locale.ROOT, "%.1f items/s", p.rate());
        if (p.totalKnown()) {
            double fraction = Math.min(1, p.fraction());
            s.append(String.format(Locale.ROOT, "%3d%% |", (int) Math.floor(100 * fraction))).append(bar(fraction))
                    .append("| ").append(p.done()).append('/').append(p.total()).append(" [")
                    .append(clock(p.elapsed())).append('<').append(p.eta().map(ConsoleProgressBar::clock).orElse("?"))
                    .append(", ").append(rate).append(']');
        } else {
            s.append(p.done()).append(" [").append(clock(p.elapsed())).append(", ").append(rate).append(']');
        }
        if (p.failed() > 0) {
            s.append(", ").append(p.failed()).append(" failed");
        }
        return s.toString();
    }

    private static String bar(double fraction) {
        int eighths = (int) Math.floor(fraction * WIDTH * 8);
        StringBuilder s = new StringBuilder(WIDTH);
        s.append("█".repeat(eighths / 8)).append(EIGHTHS[eighths % 8]);
        while (s.length() < WIDTH) {
            s.append(' ');
        }
        return s.toString();
    }

    /** mm:ss, or h:mm:ss from an hour. */
    static String clock(Duration d) {
        long seconds = d.toSeconds();
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public String toString() {
        return "ConsoleProgressBar[" + (inPlace ? "in place" : "plain lines") + "]";
    }
}
