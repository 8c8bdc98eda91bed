package org.multiprocessing4j.internal.launch;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.launch.training.Training;
import org.multiprocessing4j.internal.shm.FutexWarmUp;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * The {@code main} of every child JVM.
 *
 * <p><b>Protocol.</b> The parent writes one authenticated frame ({@link Frames}) on the child's stdin:
 * a {@link LaunchRequest}. Before it, the same pipe carries the authkey ({@link KeyHandoff}), so the
 * child checks the frame's MAC before it deserializes anything, and the key never appears in the
 * environment that the processes it starts inherit. It then writes the start marker
 * ({@link OutputPump#MARKER}) on stderr, runs the target on this thread and exits: 0 (once the
 * target's non-daemon threads have ended, as in Python), the target's {@code System.exit} code, or 1
 * with the stack trace on stderr if it threw.
 *
 * <p><b>Parent death.</b> After the launch frame the stdin pipe stays open and a daemon thread reads
 * it: end-of-file means the parent is gone (the kernel closed its end, even after SIGKILL), and the
 * child halts at once. Python's children are orphaned here; ours are not.
 *
 * <p>Modes (the one argument): {@code child}; {@code spare}, which first reads and deserializes a
 * warm-up message (a launch message whose target does nothing), runs an object stream as a launch
 * message of the serialized form would ({@link Preload#objectStreams}), and warms what a child's first
 * moments use ({@link SpareWarmUp}), then waits for its real one;
 * {@code train}, the AOT cache's training run, which runs the warm-up message's target (the
 * rehearsals) and has no parent watch, so that the JDK can finish writing the cache after the parent
 * has gone; a hard deadline ({@link TrainingDeadline}) halts it instead if it has not ended by then.
 */
public final class Bootstrap {
    static final String MODE_CHILD = "child";
    static final String MODE_SPARE = "spare";
    static final String MODE_TRAIN = "train";
    /**
     * The AOT training run's property naming the class that held the target of the first launch that
     * found no cache: the training loads it, so the cache holds it and a child does not open the class
     * path's JARs one after another to find it (15–25 ms of start-up on a class path of ten JARs).
     */
    static final String TRAINING_CLASS = "mp4j.aotTrainingClass";
    /** Exit code when the launch message could not be read or trusted. */
    static final int BAD_LAUNCH = 2;
    private static final int MAX_LAUNCH_BYTES = Integer.MAX_VALUE - 8;

    private Bootstrap() {}

    public static void main(String[] args) {
        LaunchTrace.child(LaunchTrace.MAIN);
        Preload.start();
        String mode = args.length > 0 ? args[0] : MODE_CHILD;
        if (mode.equals(MODE_TRAIN)) {
            TrainingDeadline.start(); // no parent watch: this bounds it instead
        }
        InputStream control = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
        System.setIn(InputStream.nullInputStream()); // as Python, the child's stdin is not the parent's
        adoptAuthkey(control);
        if (mode.equals(MODE_SPARE)) {
            LaunchRequest warmUp = readRequest(control); // loads and links the launch path while we wait
            if (warmUp == null) {
                System.exit(0);
            }
            deserialize(warmUp);
            Preload.objectStreams();
            SpareWarmUp.warmUp();
            ProcessTable.register(ProcessTable.SPARE, "spare");
        }
        LaunchRequest request = readRequest(control);
        LaunchTrace.child(LaunchTrace.FRAME);
        if (request == null) {
            System.exit(0); // a spare retired, or a parent that died before it sent anything
        }
        if (request.holdsSharedMemory()) {
            // the futex binding (25–40 ms with the AOT cache), linked beside the object stream, which takes
            // longer than that to reach the first handle: the main thread then finds it done or under way
            FutexWarmUp.start();
        }
        if (!mode.equals(MODE_TRAIN)) {
            ParentWatch.start(control);
        }
        if (mode.equals(MODE_TRAIN)) {
            if (!Training.PLAIN.equals(System.getProperty(Training.KIND_PROPERTY))) {
                // the serialized form's path, into the cache too. Not into the plain one (2 MB less to
                // map): the launcher gives a child of the serialized form the full cache; only a warm
                // spare booted on the plain one may still take such a start (and its object streams
                // are warmed while it waits, Preload.objectStreams, from the JDK rather than the cache)
                Preload.objectStreams();
            }
            loadTrainingClass();
        }
        Object process = deserialize(request);
        LaunchTrace.child(LaunchTrace.DESERIALIZED);
        CurrentProcess.becomeChild(request, process);
        ProcessTable.register(mode.equals(MODE_TRAIN) ? ProcessTable.AOT_TRAINING : ProcessTable.CHILD, request.name());
        PrintStream err = System.err;
        err.write(OutputPump.MARKER, 0, OutputPump.MARKER.length);
        err.write('\n');
        err.flush();
        LaunchTrace.child(LaunchTrace.TARGET_STARTED);
        try {
            if (process instanceof ChildProcess child) {
                child.run();
            } else {
                ((Runnable) process).run();
            }
        } catch (Throwable t) {
            err.println("Process " + request.name() + " (pid " + ProcessHandle.current().pid() + "):");
            t.printStackTrace(err);
            System.out.flush();
            System.exit(ExitCodes.UNCAUGHT_EXCEPTION);
        }
        LaunchTrace.child(LaunchTrace.TARGET_RETURNED);
        System.out.flush();
        err.flush();
        // Returning, rather than System.exit(0), lets the JVM wait for the target's non-daemon threads
        // (and this process's own non-daemon children), as Python's child waits for its threads; and
        // it skips Runtime.exit's logging set-up, about 10 ms of a child's life.
    }

    private static void loadTrainingClass() {
        String name = System.getProperty(TRAINING_CLASS);
        if (name != null) {
            try {
                Class.forName(name, false, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // gone since, or not loadable here: the cache goes without it
            }
        }
    }

    private static void adoptAuthkey(InputStream control) {
        byte[] key;
        try {
            key = KeyHandoff.read(control);
        } catch (IOException e) {
            System.err.println("Bootstrap is the main class of multiprocessing4j's child JVMs; "
                    + "it is started by ChildProcess.start(), not by hand (" + e.getMessage() + ").");
            System.exit(BAD_LAUNCH);
            return;
        }
        if (key == null) {
            System.exit(0); // a parent that died before it sent anything, or a spare retired at once
        }
        CurrentProcess.adoptAuthkey(key);
        java.util.Arrays.fill(key, (byte) 0);
    }

    private static LaunchRequest readRequest(InputStream control) {
        byte[] key = CurrentProcess.authkey();
        try {
            byte[] body = Frames.read(control, key, MAX_LAUNCH_BYTES);
            return body == null ? null : LaunchRequest.decode(body);
        } catch (IOException | SecurityException e) {
            return failLaunch(e);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    private static Object deserialize(LaunchRequest request) {
        try {
            return request.process();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return failLaunch(e);
        }
    }

    private static <T> T failLaunch(Exception e) {
        System.err.println("multiprocessing4j child (pid " + ProcessHandle.current().pid()
                + "): cannot read its launch message: " + e);
        e.printStackTrace();
        System.exit(BAD_LAUNCH);
        return null;
    }

}
