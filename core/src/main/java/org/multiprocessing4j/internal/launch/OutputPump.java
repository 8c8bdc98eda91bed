package org.multiprocessing4j.internal.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Copies one output stream of a child (stdout or stderr) to this JVM's {@code System.out}/{@code err},
 * as the child's output would appear in Python, and keeps the last bytes for error messages.
 *
 * <p>On stderr it also watches for the child's start marker, the line {@link Bootstrap} writes once
 * it has read and deserialized its target; the marker is not copied. Before the marker the stream is
 * copied line by line (the JVM's own start-up errors come there); after it, as it arrives, unless the
 * launch trace is on: then it stays line by line, and the child's trace line ({@link LaunchTrace}) is
 * taken out too.
 *
 * <p><b>Concurrency.</b> One platform daemon thread per pump reads and writes; {@link #tail()} and
 * {@link #markerSeen()} may be called from any thread.
 */
final class OutputPump implements Runnable {
    /** The line a child writes on stderr when its target is about to run: RS, a tag, LF. */
    static final byte[] MARKER = "\u001emp4j:target-started".getBytes(StandardCharsets.US_ASCII);
    private static final int TAIL_BYTES = 8192;
    private static final int TAIL_LINES = 25;

    private final InputStream in;
    private final Supplier<PrintStream> target;
    private final boolean watchMarker;
    private final LaunchTrace trace; // takes the child's trace line; null unless tracing
    private final byte[] tail = new byte[TAIL_BYTES]; // guarded by this
    private long tailWritten;                          // guarded by this
    private final CompletableFuture<Void> markerSeen = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    OutputPump(InputStream in, Supplier<PrintStream> target, boolean watchMarker) {
        this(in, target, watchMarker, null);
    }

    /**
     * @param trace if not null, the stream stays in line mode after the marker, and the child's launch
     *        trace line ({@link LaunchTrace#MARKER}) goes to it instead of being copied
     */
    OutputPump(InputStream in, Supplier<PrintStream> target, boolean watchMarker, LaunchTrace trace) {
        this.in = in;
        this.target = target;
        this.watchMarker = watchMarker;
        this.trace = trace;
    }

    static OutputPump start(InputStream in, Supplier<PrintStream> target, boolean watchMarker, String name) {
        return start(in, target, watchMarker, name, null);
    }

    static OutputPump start(InputStream in, Supplier<PrintStream> target, boolean watchMarker, String name,
            LaunchTrace trace) {
        OutputPump pump = new OutputPump(in, target, watchMarker, trace);
        Thread.ofPlatform().daemon().name(name).stackSize(256 * 1024).start(pump);
        return pump;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean lineMode = watchMarker;
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (!lineMode) {
                    forward(buffer, 0, n);
                    continue;
                }
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    line.write(buffer, from, i - from);
                    from = i + 1;
                    byte[] l = line.toByteArray();
                    line.reset();
                    if (Arrays.equals(l, MARKER)) {
                        markerSeen.complete(null);
                        if (trace == null) {
                            lineMode = false;
                            forward(buffer, from, n - from);
                            break;
                        }
                        continue;
                    }
                    int traced = trace == null ? -1 : indexOf(l, LaunchTrace.MARKER);
                    if (traced >= 0) { // after what the child wrote without a newline, if anything
                        forward(l, 0, traced);
                        int at = traced + LaunchTrace.MARKER.length;
                        trace.childReport(new String(l, at, l.length - at, StandardCharsets.US_ASCII));
                        continue;
                    }
                    forward(l, 0, l.length);
                    forward(new byte[] {'\n'}, 0, 1);
                }
                if (lineMode && from < n) {
                    line.write(buffer, from, n - from);
                }
            }
        } catch (IOException e) {
            // The pipe broke: the child is gone. What was read has been forwarded.
        } finally {
            if (line.size() > 0) {
                byte[] l = line.toByteArray();
                forward(l, 0, l.length);
            }
            done.complete(null);
        }
    }

    private static int indexOf(byte[] line, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= line.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (line[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void forward(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        remember(b, off, len);
        ConsoleLine.write(target.get(), b, off, len); // never inside a progress bar's line
    }

    private synchronized void remember(byte[] b, int off, int len) {
        for (int i = Math.max(off, off + len - TAIL_BYTES); i < off + len; i++) {
            tail[(int) (tailWritten++ % TAIL_BYTES)] = b[i];
        }
    }

    /** The last lines copied (at most 25 lines, 8 KiB). */
    synchronized String tail() {
        int size = (int) Math.min(tailWritten, TAIL_BYTES);
        byte[] ordered = new byte[size];
        for (int i = 0; i < size; i++) {
            ordered[i] = tail[(int) ((tailWritten - size + i) % TAIL_BYTES)];
        }
        String text = new String(ordered, StandardCharsets.UTF_8).stripTrailing();
        String[] lines = text.split("\n", -1);
        if (lines.length <= TAIL_LINES) {
            return text;
        }
        return String.join("\n", Arrays.copyOfRange(lines, lines.length - TAIL_LINES, lines.length));
    }

    boolean markerSeen() {
        return markerSeen.isDone();
    }

    /** Completes when the child has written its start marker. */
    CompletableFuture<Void> marker() {
        return markerSeen;
    }

    /** Completes when the stream has ended and everything read was forwarded. */
    CompletableFuture<Void> done() {
        return done;
    }
}
