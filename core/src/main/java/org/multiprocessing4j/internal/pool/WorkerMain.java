package org.multiprocessing4j.internal.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
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
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializer;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * The target of a pool's worker process: connects to the pool's socket, authenticates, runs the
 * initializer, says hello, then runs the tasks it is sent, in order, until told to exit or the pool's
 * connection closes.
 *
 * <p>Results are written back in batches: after each task the result is buffered, and the buffer is
 * sent when the tasks received so far are done, when 64 results wait, or when the first waiting result
 * is 1 ms old. A slow task's result therefore leaves as soon as it is ready, and a stream of tiny tasks
 * costs one write per batch.
 */
final class WorkerMain implements SerializableRunnable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_PENDING = 64;
    private static final long MAX_PENDING_NANOS = 1_000_000;

    private final String socket;
    private final int workerId;
    private final SerializableRunnable initializer;
    private final boolean reportMemory;

    WorkerMain(String socket, int workerId, SerializableRunnable initializer, boolean reportMemory) {
        this.socket = socket;
        this.workerId = workerId;
        this.initializer = initializer;
        this.reportMemory = reportMemory;
    }

    @Override
    public void run() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            Handshake.client(in, out, CurrentProcess.authkey());
            if (!initialize(out)) {
                return;
            }
            out.writeInt(5);
            out.writeByte(Protocol.HELLO);
            out.writeInt(workerId);
            out.flush();
            serve(in, out);
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
            Protocol.Buffer message = new Protocol.Buffer(512);
            DataOutputStream m = new DataOutputStream(message);
            m.writeByte(Protocol.INIT_FAILED);
            m.writeInt(workerId);
            Protocol.writeBytes(m, throwableBytes(t));
            PlainFrames.write(out, message.array(), 0, message.size());
            out.flush();
            return false;
        }
    }

    private void serve(DataInputStream in, DataOutputStream out) throws IOException {
        Map<Integer, Object> functions = new HashMap<>();
        StatelessCache stateless = new StatelessCache();
        Results results = new Results(out);
        while (true) {
            byte[] frame = PlainFrames.read(in, Protocol.MAX_FRAME);
            if (frame == null) {
                return; // the pool closed the connection
            }
            DataInputStream message = new DataInputStream(new ByteArrayInputStream(frame));
            switch (message.readByte()) {
                case Protocol.EXIT -> {
                    return;
                }
                case Protocol.DEFINE -> functions.put(message.readInt(), decodeFunction(Protocol.readBytes(message)));
                case Protocol.TASKS -> {
                    int n = message.readInt();
                    for (int i = 0; i < n; i++) {
                        long id = message.readLong();
                        byte kind = message.readByte();
                        int fnId = message.readInt();
                        byte[] payload = Protocol.readBytes(message);
                        results.add(id, kind, executeOrExit(kind, functions.get(fnId), payload, stateless));
                        // Flush when nothing more has arrived, so a result never waits for work that
                        // is not there; while tasks keep coming, results go back in batches.
                        if ((i == n - 1 && in.available() == 0) || results.due()) {
                            results.flush(reportMemory ? residentBytes() : 0);
                        }
                    }
                }
                default -> throw new IOException("unknown message type from the pool");
            }
        }
    }

    /** A function that could not be deserialized is kept as its exception: its tasks fail with it. */
    private static Object decodeFunction(byte[] bytes) {
        try {
            return Serializers.get().deserialize(bytes);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new Failed(e);
        }
    }

    /** The outcome of one task: {@code OK} and the value, or {@code ERROR} and the throwable. */
    private record Outcome(boolean ok, Object value) {}

    private record Failed(Exception cause) {}

    /**
     * Runs a task; an {@link OutOfMemoryError} ends the worker (exit code 3, as the JVM's
     * {@code -XX:+ExitOnOutOfMemoryError}): a heap in an unknown state should not run more tasks, and
     * the pool fails the task with {@code WorkerLostException} and starts a fresh worker. Done here
     * rather than with the JVM flag so that workers start with the same command line as every other
     * child, and share its AOT cache and warm spare.
     */
    private Outcome executeOrExit(byte kind, Object function, byte[] payload, StatelessCache stateless) {
        try {
            return execute(kind, function, payload, stateless);
        } catch (OutOfMemoryError e) {
            System.err.println("PoolWorker-" + workerId + ": " + e + "; the worker exits (code 3) and is replaced");
            System.err.flush();
            Runtime.getRuntime().halt(3);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Outcome execute(byte kind, Object function, byte[] payload, StatelessCache stateless) {
        try {
            if (kind == Protocol.CALL) {
                return new Outcome(true, ((Callable<Object>) stateless.decode(payload)).call());
            }
            if (function instanceof Failed failed) {
                throw failed.cause();
            }
            Function<Object, Object> fn = (Function<Object, Object>) function;
            Object[] items = ChunkCodec.decode(payload);
            Object[] out = new Object[items.length];
            for (int i = 0; i < items.length; i++) {
                out[i] = fn.apply(items[i]);
            }
            return new Outcome(true, out);
        } catch (OutOfMemoryError e) {
            throw e; // not the task's failure: the worker's heap is in an unknown state (see serve)
        } catch (Throwable t) {
            return new Outcome(false, t);
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
     * Deserialized tasks that hold no state, by their bytes: a lambda that captures nothing is a
     * hidden class without fields, and one instance serves every task with the same bytes. Deserializing
     * a lambda costs tens of microseconds (reflection, the lambda's {@code $deserializeLambda$}); the
     * look-up, a hash of the bytes. Anything with state is deserialized afresh for every task, as the
     * semantics of sending a copy require.
     */
    private static final class StatelessCache {
        private static final int CAPACITY = 256;
        private final Map<Bytes, Object> cache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Bytes, Object> eldest) {
                return size() > CAPACITY;
            }
        };

        Object decode(byte[] payload) throws IOException, ClassNotFoundException {
            Bytes key = new Bytes(payload);
            Object cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
            Object task = Serializers.get().deserialize(payload);
            Class<?> type = task.getClass();
            if (type.isHidden() && type.getDeclaredFields().length == 0) {
                cache.put(key, task);
            }
            return task;
        }
    }

    /** A byte array as a map key, by content. */
    private record Bytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && java.util.Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    /** Results waiting to be written, as one RESULTS frame. */
    private static final class Results {
        private final DataOutputStream out;
        private final List<Long> ids = new ArrayList<>();
        private final List<Byte> kinds = new ArrayList<>();
        private final List<Outcome> outcomes = new ArrayList<>();
        private long firstAt;

        Results(DataOutputStream out) {
            this.out = out;
        }

        void add(long id, byte kind, Outcome outcome) {
            if (ids.isEmpty()) {
                firstAt = System.nanoTime();
            }
            ids.add(id);
            kinds.add(kind);
            outcomes.add(outcome);
        }

        boolean due() {
            return ids.size() >= MAX_PENDING || System.nanoTime() - firstAt >= MAX_PENDING_NANOS;
        }

        void flush(long rss) throws IOException {
            Protocol.Buffer frame = new Protocol.Buffer(256 + 64 * ids.size());
            DataOutputStream m = new DataOutputStream(frame);
            m.writeByte(Protocol.RESULTS);
            m.writeLong(rss);
            m.writeInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                m.writeLong(ids.get(i));
                Outcome outcome = outcomes.get(i);
                byte[] bytes;
                byte status = Protocol.OK;
                if (outcome.ok()) {
                    try {
                        bytes = kinds.get(i) == Protocol.CHUNK ? ChunkCodec.encode((Object[]) outcome.value())
                                : Serializers.get().serialize(outcome.value());
                    } catch (IOException | RuntimeException e) {
                        status = Protocol.ERROR;
                        bytes = throwableBytes(notSerializable(outcome.value(), e));
                    }
                } else {
                    status = Protocol.ERROR;
                    bytes = throwableBytes((Throwable) outcome.value());
                }
                m.writeByte(status);
                Protocol.writeBytes(m, bytes);
            }
            PlainFrames.write(out, frame.array(), 0, frame.size());
            out.flush();
            ids.clear();
            kinds.clear();
            outcomes.clear();
        }

        private static Exception notSerializable(Object value, Exception e) {
            NotSerializableException failure = new NotSerializableException("the task's result ("
                    + (value == null ? "null" : value.getClass().getName()) + ") cannot be sent back: " + e);
            failure.initCause(e instanceof Serializable ? e : null);
            return failure;
        }
    }
}
