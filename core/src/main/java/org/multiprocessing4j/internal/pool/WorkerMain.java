package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.ValueArrays;
import org.multiprocessing4j.internal.wire.ValueCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.launch.ProcessTable;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializer;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.PoolTaskRunEvent;
import org.multiprocessing4j.internal.wire.CapturedLambda;

/**
 * The target of a pool's worker process: connects to the pool's socket, authenticates, runs the
 * initializer, says hello, then runs the tasks it is sent, in order, until told to exit or the pool's
 * connection closes.
 *
 * <p>Results are written back by a second thread ({@link ResultWriter}) as soon as each task ends;
 * while tiny tasks finish faster than a write, each write carries every result waiting. So that the
 * pool knows which task was running if this JVM dies with results still unwritten, each task is
 * marked in the pool's {@link TaskMarks} as it starts and once its result is encoded; a start the
 * pool has forbidden ({@code shutdownNow}) ends the worker instead.
 */
public final class WorkerMain implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    /**
     * A test hook: while the file this property names exists, results are not written (they wait, as
     * behind a slow write), so that a test can kill a worker whose finished task has not been answered.
     */
    private static final String HOLD_RESULTS = System.getProperty("mp4j.test.holdResults");
    /** Between the fields of a worker's settings ({@link #launchTarget}): NUL, which no path holds. */
    private static final String SETTINGS_SEPARATOR = "\0";

    private final String socket;
    private final String marksFile;
    private final int workerId;
    private final SerializableRunnable initializer;
    private final boolean reportMemory;
    private final boolean insights;

    /**
     * {@code marksFile}: the pool's {@link TaskMarks} for this worker, or null (the AOT rehearsal);
     * {@code insights}: whether to measure where the time goes ({@link WorkerClock}) and send it back.
     */
    WorkerMain(String socket, String marksFile, int workerId, SerializableRunnable initializer, boolean reportMemory,
            boolean insights) {
        this.socket = socket;
        this.marksFile = marksFile;
        this.workerId = workerId;
        this.initializer = initializer;
        this.reportMemory = reportMemory;
        this.insights = insights;
    }

    /**
     * What a worker's child runs. Without an initializer it is a lambda capturing one string, the
     * worker's settings ({@link #launched}), which a launch message carries as its parts: the worker's JVM
     * then starts without an object stream ({@code LaunchRequest}'s form LAMBDA, 20–30 ms less of its
     * start-up), and calls the lambda's method without spinning its class ({@code wire.DirectLambda},
     * 14–19 ms less). A string rather than a byte array: the user's serial filter limits arrays
     * ({@code maxarray}), and these settings are the library's. With an initializer, this object,
     * serialized with the initializer.
     */
    static SerializableRunnable launchTarget(String socket, String marksFile, int workerId,
            SerializableRunnable initializer, boolean reportMemory, boolean insights) {
        if (initializer != null) {
            return new WorkerMain(socket, marksFile, workerId, initializer, reportMemory, insights);
        }
        String settings = settings(socket, marksFile, workerId, reportMemory, insights);
        return () -> launched(settings);
    }

    /** A worker's settings without an initializer, as one string ({@link #fromSettings} reads it). */
    static String settings(String socket, String marksFile, int workerId, boolean reportMemory, boolean insights) {
        return String.join(SETTINGS_SEPARATOR, socket, marksFile == null ? "" : marksFile,
                Integer.toString(workerId), Boolean.toString(reportMemory), Boolean.toString(insights));
    }

    /**
     * The worker of {@code settings} ({@link #settings}).
     *
     * @throws IllegalArgumentException if they are not five fields, the worker's id is not a number, or a
     *         flag is neither {@code true} nor {@code false}
     */
    static WorkerMain fromSettings(String settings) {
        String[] field = settings.split(SETTINGS_SEPARATOR, -1);
        if (field.length != 5) {
            throw new IllegalArgumentException("a pool worker's settings have " + field.length + " fields, not 5");
        }
        return new WorkerMain(field[0], field[1].isEmpty() ? null : field[1], Integer.parseInt(field[2]), null,
                flag(field[3]), flag(field[4]));
    }

    private static boolean flag(String field) {
        if (!field.equals("true") && !field.equals("false")) {
            throw new IllegalArgumentException("a pool worker's flag reads '" + field + "'");
        }
        return field.equals("true");
    }

    /** The worker whose settings {@link #launchTarget} wrote, run. */
    private static void launched(String settings) {
        fromSettings(settings).run();
    }

    @Override
    public String toString() {
        return "WorkerMain[worker " + workerId + ", socket " + socket + ", marks " + marksFile + ", initializer "
                + initializer + ", reportMemory " + reportMemory + ", insights " + insights + "]";
    }

    /**
     * Whether {@code target} (a process's target's class) is a pool worker's, as {@link #launchTarget}
     * makes it: this class, or a lambda it declares. The launcher gives such a child the AOT cache
     * trained on a pool worker's life.
     */
    public static boolean isWorkerTarget(Class<?> target) {
        return target != null && (target == WorkerMain.class || target.getNestHost() == WorkerMain.class);
    }

    @Override
    public void run() {
        ProcessTable.register(ProcessTable.POOL_WORKER, CurrentProcess.info().name());
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            Handshake.client(in, out, CurrentProcess.authkey());
            if (!initialize(out)) {
                return;
            }
            ByteWriter.framed(8).writeByte(Protocol.HELLO).writeInt(workerId).writeTo(out);
            out.flush();
            serve(in, out, marksFile == null ? null : TaskMarks.open(Path.of(marksFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("pool worker " + workerId + " lost its pool", e);
        }
    }

    private boolean initialize(DataOutputStream out) throws IOException {
        if (initializer == null) {
            return true;
        }
        try {
            initializer.run();
            return true;
        } catch (Throwable t) {
            ByteWriter.framed(512).writeByte(Protocol.INIT_FAILED).writeInt(workerId).writeBytes(throwableBytes(t))
                    .writeTo(out);
            out.flush();
            return false;
        }
    }

    private void serve(DataInputStream in, DataOutputStream out, TaskMarks marks) throws IOException {
        Map<Integer, Definition> functions = new HashMap<>();
        WorkerClock clock = new WorkerClock(insights);
        ResultWriter results = new ResultWriter(out, clock);
        while (true) {
            byte[] frame = PlainFrames.read(in, Protocol.MAX_FRAME);
            clock.waited();
            if (frame == null) {
                finish(results);
                return; // the pool closed the connection
            }
            ByteReader message = new ByteReader(frame);
            switch (message.readByte()) {
                case Protocol.EXIT -> {
                    finish(results);
                    return;
                }
                case Protocol.DEFINE -> functions.put(message.readInt(), new Definition(message.readBytes()));
                case Protocol.TASKS -> {
                    int n = message.readCount(8 + 1 + 4 + 4);
                    for (int i = 0; i < n; i++) {
                        long id = message.readLong();
                        byte kind = message.readByte();
                        int fnId = message.readInt();
                        byte[] payload = message.readBytes();
                        if (marks != null && !marks.start(id)) {
                            finish(results); // the pool stopped us (shutdownNow): no task may start
                            return;
                        }
                        long began = System.nanoTime();
                        Outcome outcome = executeOrExit(kind, fnId < 0 ? null : functions.get(fnId), payload, clock);
                        results.add(id, kind, outcome, System.nanoTime() - began);
                        if (marks != null) {
                            marks.finish(id); // after encoding: a result that kills us as it is encoded is the task's
                        }
                    }
                }
                default -> throw new IOException("unknown message type from the pool");
            }
        }
    }

    private static void finish(ResultWriter results) {
        try {
            results.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A DEFINEd function or callable, deserialized at its first task's run (after that task's start
     * mark: a definition whose class kills the JVM as it loads is blamed on that task), then kept.
     * One that cannot be deserialized is kept as its exception: its tasks fail with it.
     */
    private static final class Definition {
        private byte[] bytes;
        private Object decoded;
        private Exception failure;

        Definition(byte[] bytes) {
            this.bytes = bytes;
        }

        Object get(byte kind) throws Exception {
            if (bytes != null) {
                try {
                    decoded = kind == Protocol.CAPTURED ? CapturedLambda.Shape.decode(bytes)
                            : FunctionTable.read(bytes);
                } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                    failure = e;
                }
                bytes = null;
            }
            if (failure != null) {
                throw failure;
            }
            return decoded;
        }
    }

    /**
     * The outcome of one task: {@code OK} and the value, or {@code ERROR} and the throwable; how long it
     * worked, and a summary of its arguments if it is among the worker's slowest (else null).
     */
    private record Outcome(boolean ok, Object value, long work, String slow) {}

    /**
     * Runs a task; an {@link OutOfMemoryError} ends the worker (exit code 3, as the JVM's
     * {@code -XX:+ExitOnOutOfMemoryError}): a heap in an unknown state should not run more tasks, and
     * the pool fails the task with {@code WorkerLostException} and starts a fresh worker. Done here
     * rather than with the JVM flag so that workers start with the same command line as every other
     * child, and share its AOT cache and warm spare.
     */
    private Outcome executeOrExit(byte kind, Definition function, byte[] payload, WorkerClock clock) {
        try {
            if (Events.recording()) {
                PoolTaskRunEvent event = new PoolTaskRunEvent();
                event.begin();
                Outcome outcome = execute(kind, function, payload, clock);
                event.end();
                if (event.shouldCommit()) {
                    event.kind = Protocol.kindName(kind);
                    event.succeeded = outcome.ok();
                    event.commit();
                }
                return outcome;
            }
            return execute(kind, function, payload, clock);
        } catch (OutOfMemoryError e) {
            System.err.println("PoolWorker-" + workerId + ": " + e + "; the worker exits (code 3) and is replaced");
            System.err.flush();
            Runtime.getRuntime().halt(3);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Outcome execute(byte kind, Definition function, byte[] payload, WorkerClock clock) {
        long ready = clock.last;
        Object arguments = null;
        int items = 1;
        try {
            Object value;
            if (kind == Protocol.CALL) {
                // a stateless callable, defined once; anything else arrives whole with each task
                Object callable = function != null ? function.get(kind) : FunctionTable.read(payload);
                arguments = callable;
                ready = clock.now();
                value = ((Callable<Object>) callable).call();
            } else if (function == null) {
                throw new IOException("a task for a definition this worker was never sent");
            } else if (kind == Protocol.CAPTURED) {
                Object callable = ((CapturedLambda.Shape) function.get(kind)).instantiate(payload);
                arguments = callable;
                ready = clock.now();
                value = ((Callable<Object>) callable).call();
            } else {
                Function<Object, Object> fn = (Function<Object, Object>) function.get(kind);
                Object[] in = ValueArrays.decode(payload);
                arguments = in;
                items = in.length;
                ready = clock.now();
                Object[] out = new Object[in.length];
                for (int i = 0; i < in.length; i++) {
                    out[i] = fn.apply(in[i]);
                }
                value = out;
            }
            clock.ran(items, ready, arguments);
            return new Outcome(true, value, clock.lastWork, clock.lastSlow);
        } catch (OutOfMemoryError e) {
            throw e; // not the task's failure: the worker's heap is in an unknown state (see serve)
        } catch (Throwable t) {
            clock.ran(items, ready, arguments);
            return new Outcome(false, t, clock.lastWork, clock.lastSlow);
        }
    }

    static byte[] throwableBytes(Throwable t) {
        Serializer serializer = Serializers.get();
        try {
            return serializer.serialize(t);
        } catch (IOException | RuntimeException e) {
            try {
                return serializer.serialize(RemoteException.of(t));
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no memory bound
        }
        return 0;
    }

    /**
     * One task's result, encoded by the thread that ran it, with that thread's {@link WorkerClock}
     * counts as of then, and the task's time and arguments if it is among the slowest ({@code slow}
     * non-null).
     */
    private record Encoded(long id, byte status, byte[] bytes, long tasks, long waiting, long deserializing,
            long working, long serializing, long work, String slow) {}

    /**
     * Writes results back on its own thread, so a result leaves as soon as its task ends, whatever the
     * next task does; while results come faster than one write, each write carries all that are waiting
     * (up to {@link #MAX_BATCH}). The result of a task that took {@link #INLINE_NANOS} or more is
     * written by the serving thread itself when no earlier result waits (results go in order): one
     * write is little beside such a task, and waking this thread for it cost each result two context
     * switches, on cores that the pool's other workers are keeping busy.
     */
    private final class ResultWriter implements Runnable {
        private static final int MAX_BATCH = 256;
        private static final long INLINE_NANOS = 1_000_000;
        private static final Encoded END = new Encoded(-1, (byte) -1, new byte[0], 0, 0, 0, 0, 0, 0, null);
        private final java.util.concurrent.LinkedBlockingQueue<Encoded> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private final DataOutputStream out;
        private final ByteWriter frame = ByteWriter.framed(1 << 12);
        private final Thread thread;
        private final WorkerClock clock;
        /** Time spent writing results to the pool: guarded by {@code writing}. */
        private long sending;
        /** Held while a frame is written (by this thread, or by the serving thread for a slow task's result). */
        private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
        /** Results queued and not yet written: the serving thread writes its own only when none are. */
        private final java.util.concurrent.atomic.AtomicInteger unwritten = new java.util.concurrent.atomic.AtomicInteger();

        ResultWriter(DataOutputStream out, WorkerClock clock) {
            this.out = out;
            this.clock = clock;
            this.thread = new Thread(null, this, "mp4j-results", 256 * 1024);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        /** Called by the serving thread, which owns {@code clock}, with the time the task took. */
        void add(long id, byte kind, Outcome outcome, long tookNanos) {
            Encoded encoded = encode(id, kind, outcome);
            if (tookNanos >= INLINE_NANOS && HOLD_RESULTS == null && unwritten.get() == 0 && writing.tryLock()) {
                try {
                    if (unwritten.get() == 0) { // checked again under the lock: nothing earlier is still to go
                        write(List.of(encoded));
                        return;
                    }
                } catch (IOException e) {
                    return; // the pool is gone: the serving loop sees its connection end too
                } finally {
                    writing.unlock();
                }
            }
            unwritten.incrementAndGet();
            queue.add(encoded);
        }

        /** Writes what is queued, then stops. */
        void finish() throws InterruptedException {
            queue.add(END);
            thread.join();
        }

        @Override
        public void run() {
            List<Encoded> batch = new ArrayList<>();
            try {
                while (true) {
                    batch.add(queue.take());
                    queue.drainTo(batch, MAX_BATCH - 1);
                    // END is the last thing ever queued; compared by identity, since a record's
                    // equals is bootstrapped by invokedynamic, milliseconds on a worker's first task.
                    boolean end = batch.get(batch.size() - 1) == END;
                    if (end) {
                        batch.remove(batch.size() - 1);
                    }
                    if (!batch.isEmpty()) {
                        writing.lock();
                        try {
                            write(batch);
                            unwritten.addAndGet(-batch.size());
                        } finally {
                            writing.unlock();
                        }
                    }
                    batch.clear();
                    if (end) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the pool is gone: the serving loop sees its connection end too
            }
        }

        private void write(List<Encoded> batch) throws IOException {
            if (HOLD_RESULTS != null) {
                holdWhileExists(Path.of(HOLD_RESULTS));
            }
            long start = clock.on ? System.nanoTime() : 0;
            frame.writeByte(Protocol.RESULTS).writeLong(reportMemory ? residentBytes() : 0).writeInt(batch.size());
            int slow = 0;
            for (Encoded e : batch) {
                frame.writeLong(e.id()).writeByte(e.status()).writeBytes(e.bytes());
                slow += e.slow() == null ? 0 : 1;
            }
            if (clock.on) {
                writeInsights(batch, slow);
            }
            frame.writeTo(out);
            out.flush();
            if (clock.on) {
                sending += System.nanoTime() - start;
            }
        }

        /** The worker's counts as of the batch's last result, and the batch's tasks that were among its slowest. */
        private void writeInsights(List<Encoded> batch, int slow) {
            Encoded last = batch.get(batch.size() - 1);
            frame.writeLong(last.tasks()).writeLong(last.waiting()).writeLong(last.deserializing())
                    .writeLong(last.working()).writeLong(last.serializing()).writeLong(sending).writeInt(slow);
            if (slow > 0) {
                for (Encoded e : batch) {
                    if (e.slow() != null) {
                        frame.writeLong(e.id()).writeLong(e.work()).writeBytes(e.slow().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }

        private static void holdWhileExists(Path hold) {
            while (Files.exists(hold)) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }

        /** Called by the serving thread: the result's bytes, and the clock's counts as of now. */
        private Encoded encode(long id, byte kind, Outcome outcome) {
            byte status = Protocol.OK;
            byte[] bytes;
            if (!outcome.ok()) {
                status = Protocol.ERROR;
                bytes = throwableBytes((Throwable) outcome.value());
            } else {
                try {
                    bytes = kind == Protocol.CHUNK ? ValueArrays.encode((Object[]) outcome.value())
                            : ValueCodec.encode(outcome.value());
                } catch (IOException | RuntimeException e) {
                    status = Protocol.ERROR;
                    bytes = throwableBytes(notSerializable(outcome.value(), e));
                }
            }
            clock.serialized();
            return new Encoded(id, status, bytes, clock.tasks, clock.waiting, clock.deserializing, clock.working,
                    clock.serializing, outcome.work(), outcome.slow());
        }

        private static Exception notSerializable(Object value, Exception e) {
            NotSerializableException failure = new NotSerializableException("the task's result ("
                    + (value == null ? "null" : value.getClass().getName()) + ") cannot be sent back: " + e);
            failure.initCause(e);
            return failure;
        }
    }
}
