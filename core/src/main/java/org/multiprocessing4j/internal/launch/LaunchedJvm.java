package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.events.ChildExitEvent;
import org.multiprocessing4j.internal.events.ChildStartEvent;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.spi.StartedProcess;

/**
 * The parent's side of one child JVM: the OS process, its control channel (the child's stdin) and
 * the pumps that copy its output.
 *
 * <p><b>Lifecycle.</b> Spawned (given its authkey, booting, waiting for its launch message) → sent (the message is in
 * the pipe) → started (the child said its target is about to run) → exited. A warm spare stays in the
 * first state until it is taken. Closing the control channel without sending anything retires a
 * spare: it reads end-of-file and exits 0.
 *
 * <p><b>Failure.</b> The control channel stays open for the child's whole life. The parent's end is
 * held by nobody else (the JDK opens pipes close-on-exec), so when the parent dies, even by SIGKILL,
 * the kernel closes it and the child reads end-of-file and halts.
 */
public final class LaunchedJvm implements StartedProcess {
    /** How long {@link #exited()} waits for the output pumps once the process is gone. */
    private static final Duration DRAIN = Duration.ofSeconds(1);
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final Process process;
    private final OutputStream control; // written by the launching thread only
    private final OutputPump out;
    private final OutputPump err;
    private final CompletableFuture<LaunchedJvm> exited;
    private volatile int signalSent; // the last signal terminate() or kill() sent, 0 if none
    private final LaunchTrace trace; // null unless -Dmp4j.trace.launch=true

    /**
     * @param booting whether the JVM was started for a target now (its JFR start event begins here), or
     *        is a warm spare that waits for one ({@link #taken()} begins it)
     */
    LaunchedJvm(Process process, boolean booting) {
        this.trace = LaunchTrace.ENABLED ? new LaunchTrace(process.pid()) : null;
        this.process = process;
        this.control = process.getOutputStream();
        String id = Long.toString(process.pid());
        this.out = OutputPump.start(process.getInputStream(), () -> System.out, false, "mp4j-stdout-" + id);
        this.err = OutputPump.start(process.getErrorStream(), () -> System.err, true, "mp4j-stderr-" + id, trace);
        this.exited = reaped(process).thenCompose(p -> {
            if (trace != null) {
                trace.stamp(LaunchTrace.EXIT_SEEN);
            }
            return CompletableFuture.allOf(out.done(), err.done())
                    .completeOnTimeout(null, DRAIN.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(v -> this);
        });
        if (Events.recording()) {
            ChildExitEvent life = new ChildExitEvent();
            life.begin();
            exited.thenRun(() -> commitExit(life));
            if (booting) {
                recordStart(false);
            }
        }
    }

    /** A warm spare was handed a target: its start, for JFR, begins now. */
    void taken() {
        if (trace != null) {
            trace.taken();
        }
        if (Events.recording()) {
            recordStart(true);
        }
    }

    private void recordStart(boolean spare) {
        ChildStartEvent start = new ChildStartEvent();
        start.begin();
        startedOrExited().thenRun(() -> {
            start.end();
            if (start.shouldCommit()) {
                start.pid = pid();
                start.spare = spare;
                start.started = started();
                start.commit();
            }
        });
    }

    private void commitExit(ChildExitEvent life) {
        life.end();
        if (life.shouldCommit()) {
            life.pid = pid();
            life.exitCode = exitCode();
            life.started = started();
            life.commit();
        }
    }

    /** Hands the child its authkey, first thing on the control channel ({@link KeyHandoff}). */
    void handOver(byte[] key) throws IOException {
        KeyHandoff.write(control, key);
    }

    /**
     * Completes when the process has ended, from a thread of its own: {@link Process#onExit()} runs its
     * completion on the common pool, and a program whose common pool is busy (a parallel stream whose
     * tasks wait on a queue; one thread on a 2-core machine) would never see its children end.
     */
    private static CompletableFuture<Process> reaped(Process process) {
        CompletableFuture<Process> ended = new CompletableFuture<>();
        Thread.ofPlatform().daemon().stackSize(256 * 1024).name("mp4j-reaper-" + process.pid()).start(() -> {
            boolean interrupted = false;
            while (true) {
                try {
                    process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // nobody interrupts this thread; keep waiting if someone does
                }
            }
            ended.complete(process);
            ProcessTable.forgetEnded(process.pid(), System.currentTimeMillis()); // after: not on join()'s path
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        return ended;
    }

    /** Sends the launch message. The channel stays open: its end-of-file tells the child we died. */
    void send(byte[] key, byte[] body) throws IOException {
        Frames.write(control, key, body);
        if (trace != null) {
            trace.sent();
        }
    }

    /** This child's launch trace, or null when tracing is off. */
    LaunchTrace trace() {
        return trace;
    }

    /** Retires a spare that was never sent anything: it reads end-of-file and exits. */
    void retire() {
        try {
            control.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the child got as far as starting its target. */
    public boolean started() {
        return err.markerSeen();
    }

    /** Completes when the child's target is about to run, or when it has ended without starting. */
    CompletableFuture<?> startedOrExited() {
        return CompletableFuture.anyOf(err.marker(), exited);
    }

    /** Completes once the process has ended and its output has been copied. */
    public CompletableFuture<LaunchedJvm> exited() {
        return exited;
    }

    /**
     * The exit code in Python's convention; only valid once the process has ended. A JVM signalled
     * while it was still booting may exit with 1 rather than die of the signal; since we sent it,
     * the code is the signal's, as Python would report it.
     */
    public int exitCode() {
        int code = ExitCodes.fromJdk(process.exitValue());
        int signal = signalSent;
        return signal != 0 && !started() && code > 0 ? -signal : code;
    }

    /** The last lines the child wrote on stderr. */
    public String stderrTail() {
        return err.tail();
    }

    /**
     * SIGTERM. Sent through the {@link ProcessHandle}: {@link Process#destroy()} would also close our
     * end of the control channel, and the child would halt on end-of-file before it saw the signal
     * (no shutdown hooks, exit code 1 instead of −15).
     */
    public void terminate() {
        if (process.isAlive()) {
            signalSent = SIGTERM;
            process.toHandle().destroy();
        }
    }

    /** SIGKILL. */
    public void kill() {
        if (process.isAlive()) {
            signalSent = SIGKILL;
            process.toHandle().destroyForcibly();
        }
    }

    /**
     * After its launch message could not be handed over: a JVM that is ending by itself (a bad option
     * stops it within milliseconds, and its end closed the pipe) keeps its own exit code, so that
     * {@code join()} reports a failed start with its stderr; one still running after a second is killed.
     * Killing at once raced with that end: the exit read as our SIGKILL, and the failed start as a kill.
     */
    void endAfterFailedHandOver() {
        try {
            if (process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }
}
