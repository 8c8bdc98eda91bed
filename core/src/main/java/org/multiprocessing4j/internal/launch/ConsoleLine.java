package org.multiprocessing4j.internal.launch;

import java.io.PrintStream;

/**
 * The one line of this JVM's console that is redrawn in place (a progress bar), kept apart from the
 * children's output that {@link OutputPump} copies to the same console: before a child's bytes are
 * copied the line is erased, and once they end a line it is drawn again below them, so a worker's
 * line never lands in the middle of the bar.
 *
 * <p><b>Concurrency.</b> Drawing, erasing and the copies made while a line is drawn hold {@code LOCK};
 * a copy while none is drawn costs one volatile read.
 */
public final class ConsoleLine {
    private static final Object LOCK = new Object();
    private static final String ERASE = "\r\u001b[K";
    /** Where a line is drawn and not yet ended, or null. */
    private static volatile PrintStream drawnOn;
    private static String text = "";       // guarded by LOCK
    /** A child's output did not end its line: the next draw starts a line of its own. Guarded by LOCK. */
    private static boolean midLine;

    private ConsoleLine() {}

    /** Draws {@code line} in place of the line drawn before on {@code out}. */
    public static void draw(PrintStream out, String line) {
        synchronized (LOCK) {
            out.print((midLine ? System.lineSeparator() : "") + ERASE + line);
            out.flush();
            midLine = false;
            text = line;
            drawnOn = out;
        }
    }

    /** Draws {@code line} a last time and ends it: the next output starts below it. */
    public static void end(PrintStream out, String line) {
        synchronized (LOCK) {
            out.print((midLine ? System.lineSeparator() : "") + ERASE + line + System.lineSeparator());
            out.flush();
            midLine = false;
            text = "";
            drawnOn = null;
        }
    }

    /** Copies a child's bytes to {@code target}, around the drawn line if there is one. */
    static void write(PrintStream target, byte[] b, int off, int len) {
        if (drawnOn == null) {
            target.write(b, off, len);
            target.flush();
            return;
        }
        synchronized (LOCK) {
            PrintStream line = drawnOn;
            if (line != null && !midLine) {
                line.print(ERASE);
                line.flush();
            }
            target.write(b, off, len);
            target.flush();
            if (line != null) {
                midLine = b[off + len - 1] != '\n';
                if (!midLine) {
                    line.print(text);
                    line.flush();
                }
            }
        }
    }
}
