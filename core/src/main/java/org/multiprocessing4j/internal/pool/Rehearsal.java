package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.internal.proc.PrivateDirs;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.ValueArrays;
import org.multiprocessing4j.internal.wire.ValueCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.wire.CapturedLambda;

/**
 * A pool worker's life in miniature, inside one JVM: a {@link WorkerMain} on a thread connects to a
 * socket served here, passes the handshake, runs rounds of CALL tasks and CHUNK tasks, and exits.
 *
 * <p>The AOT cache's training JVM runs it (see {@code ChildProcess.warmUpRequest}), so that the
 * classes a pool worker needs (Unix sockets, the handshake, the codecs, the worker loop) are in the
 * cache and a worker reaches its first task sooner. It has no other use.
 */
public final class Rehearsal {
    /**
     * Enough rounds that the training run records the worker loop's method profiles too (JEP 515):
     * a worker started from the cache then compiles its hot path early instead of warming up on the
     * user's first thousands of tasks. Under a second, once per cache.
     */
    private static final int ROUNDS = 300;
    private static final int BATCH = 32;

    private Rehearsal() {}

    public static void run() {
        rehearse();
    }

    /** The rehearsal; whether it went through (a failed one leaves the cache a little colder, nothing else). */
    static boolean rehearse() {
        Path dir = null;
        try {
            dir = PrivateDirs.create("rehearsal"); // a killed training's is swept by a later JVM
            Path socket = dir.resolve("r.sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                Path marks = dir.resolve("r.marks");
                TaskMarks.create(marks).close(); // the worker maps it, and marks every task as a pool's worker does
                Thread worker = new Thread(new WorkerMain(socket.toString(), marks.toString(), 1, null, false, false),
                        "rehearsal-worker");
                worker.setDaemon(true);
                worker.start();
                try (SocketChannel channel = server.accept()) {
                    serve(channel);
                }
                worker.join(10_000);
                return true;
            }
        } catch (IOException | RuntimeException | ClassNotFoundException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (dir != null) {
                dir.resolve("r.sock").toFile().delete();
                dir.resolve("r.marks").toFile().delete();
                dir.toFile().delete();
            }
        }
    }

    private static void serve(SocketChannel channel) throws IOException, ClassNotFoundException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        Handshake.server(in, out, CurrentProcess.authkey());
        PlainFrames.read(in, 1 << 10); // HELLO
        SerializableCallable<Integer> call = () -> 1;
        SerializableFunction<Integer, Integer> twice = x -> x * 2;
        byte[] fn = Serializers.get().serialize(twice);
        ByteWriter frame = ByteWriter.framed(1 << 12);
        frame.writeByte(Protocol.DEFINE).writeInt(1).writeBytes(fn).writeTo(out);
        byte[] task = Serializers.get().serialize(call);
        frame.writeByte(Protocol.DEFINE).writeInt(2).writeBytes(task).writeTo(out); // a stateless callable, as the pool defines one
        int base = 40;
        java.lang.invoke.SerializedLambda captured = CapturedLambda.takeApart((SerializableCallable<Integer>) () -> base + 2);
        byte[] shape = CapturedLambda.shape(captured);
        byte[] values = CapturedLambda.values(captured);
        frame.writeByte(Protocol.DEFINE).writeInt(3).writeBytes(shape).writeTo(out); // a capturing lambda's shape; its tasks carry the values
        byte[] chunk = ValueArrays.encode(new Object[] {1, 2, 3});
        long id = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // one task sent whole, the others by the id of their definition: stateless, or captured values
            frame.writeByte(Protocol.TASKS).writeInt(BATCH + 1);
            for (int i = 0; i < BATCH; i++) {
                boolean capturing = i % 2 == 1;
                frame.writeLong(++id).writeByte(capturing ? Protocol.CAPTURED : Protocol.CALL)
                        .writeInt(i == 0 ? -1 : capturing ? 3 : 2)
                        .writeBytes(i == 0 ? task : capturing ? values : new byte[0]);
            }
            long chunkId = ++id;
            frame.writeLong(chunkId).writeByte(Protocol.CHUNK).writeInt(1).writeBytes(chunk).writeTo(out);
            out.flush();
            for (int received = 0; received < BATCH + 1; ) {
                ByteReader results = new ByteReader(PlainFrames.read(in, 1 << 20));
                results.readByte();
                results.readLong();
                int n = results.readCount(8 + 1 + 4);
                for (int i = 0; i < n; i++, received++) {
                    long resultId = results.readLong();
                    results.readByte();
                    byte[] value = results.readBytes();
                    Object decoded = resultId == chunkId ? ValueArrays.decode(value) : ValueCodec.decode(value);
                    if (decoded == null) {
                        throw new IOException("rehearsal result missing");
                    }
                }
            }
        }
        frame.writeByte(Protocol.EXIT).writeTo(out);
        out.flush();
    }
}
