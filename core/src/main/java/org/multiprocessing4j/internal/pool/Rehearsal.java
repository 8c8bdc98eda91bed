package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.internal.conn.PipeEnd;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * A pool worker's life in miniature, inside one JVM: a {@link WorkerMain} on a thread is served
 * over a pipe held here, runs rounds of CALL tasks and CHUNK tasks, and exits.
 *
 * <p>The AOT cache's training JVM runs it (see {@code ChildProcess.warmUpRequest}), so that the
 * classes a pool worker needs (the shared-memory pipe, the codecs, the worker loop) are in the
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
    private static final int CALL_ID = 2;
    private static final int FUNCTION_ID = 1;

    private Rehearsal() {}

    public static void run() {
        PipeEnd[] link = PipeEnd.pipe(true);
        try {
            Thread worker = new Thread(new WorkerMain(link[1], 1, null, false), "rehearsal-worker");
            worker.setDaemon(true);
            worker.start();
            serve(link[0]);
            worker.join(10_000);
        } catch (IOException | RuntimeException | ClassNotFoundException e) {
            // a rehearsal that fails leaves the cache a little colder, nothing else
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            link[0].close();
            link[1].close();
        }
    }

    private static void serve(PipeEnd link) throws IOException, ClassNotFoundException {
        link.recvBytes(); // HELLO
        SerializableCallable<Integer> call = () -> 1;
        SerializableFunction<Integer, Integer> twice = x -> x * 2;
        byte[] task = Serializers.get().serialize(call);
        Protocol.Writer out = new Protocol.Writer(1 << 12);
        out.writeByte(Protocol.DEFINE).writeInt(FUNCTION_ID).writeBytes(Serializers.get().serialize(twice)).sendTo(link);
        out.writeByte(Protocol.DEFINE).writeInt(CALL_ID).writeBytes(task).sendTo(link); // a stateless callable
        byte[] chunk = ChunkCodec.encode(new Object[] {1, 2, 3});
        byte[] none = new byte[0];
        long id = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // one task sent whole, the others by the id of their definition, and a chunk
            out.writeByte(Protocol.TASKS).writeInt(BATCH + 1);
            for (int i = 0; i < BATCH; i++) {
                out.writeLong(++id).writeByte(Protocol.CALL).writeInt(i == 0 ? -1 : CALL_ID).writeBytes(i == 0 ? task : none);
            }
            long chunkId = ++id;
            out.writeLong(chunkId).writeByte(Protocol.CHUNK).writeInt(FUNCTION_ID).writeBytes(chunk).sendTo(link);
            for (int received = 0; received < BATCH + 1; ) {
                Protocol.Reader results = new Protocol.Reader(link.recvBytes());
                results.readByte();
                results.readLong();
                int n = results.readInt();
                for (int i = 0; i < n; i++, received++) {
                    long resultId = results.readLong();
                    results.readByte();
                    byte[] value = results.readBytes();
                    Object decoded = resultId == chunkId ? ChunkCodec.decode(value) : ValueCodec.decode(value);
                    if (decoded == null) {
                        throw new IOException("rehearsal result missing");
                    }
                }
            }
        }
        out.writeByte(Protocol.EXIT).sendTo(link);
    }
}
