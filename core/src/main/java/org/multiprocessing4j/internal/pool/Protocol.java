package org.multiprocessing4j.internal.pool;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The messages between a pool and its workers, after the {@link
 * org.multiprocessing4j.internal.wire.Handshake}. Each is one
 * {@link org.multiprocessing4j.internal.wire.PlainFrames} frame whose first byte is its type.
 *
 * <pre>
 * pool → worker   TASKS   int n, n × (long id, byte kind, int fnId, int length, bytes)
 *                 DEFINE  int fnId, int length, bytes            a function for CHUNK tasks, or a
 *                                                                stateless callable for CALL tasks
 *                 EXIT                                           finish and exit 0
 * worker → pool   HELLO   int workerId                           connected, initializer done
 *                 INIT_FAILED int workerId, int length, bytes    the initializer threw (serialized)
 *                 RESULTS long rss, int n, n × (long id, byte status, int length, bytes),
 *                         with insights: 6 × long (tasks, waiting, deserializing, working, serializing,
 *                         sending), int m, m × (long id, long nanos working, int length, UTF-8 arguments)
 * </pre>
 *
 * <p>The longs after a RESULTS frame's results, only in a pool built with insights, are the worker's
 * {@code WorkerClock} counts (items run, nanoseconds in each part) as of its last result in the frame;
 * the m entries are the tasks of the frame that became one of the worker's slowest.
 *
 * <p>A CALL task's bytes are a serialized {@code Callable}, or none if {@code fnId ≥ 0}: a callable
 * without state, DEFINEd once per worker; its result is the value. A CAPTURED task is a lambda that
 * captures values: {@code fnId} names its shape, DEFINEd once per worker, and its bytes are the
 * captured values ({@link CapturedLambda}); its result is the value. A CHUNK task's
 * bytes are a serialized {@code Object[]} of items for function {@code fnId}; its result is the
 * {@code Object[]} of results. Results come back in the order the tasks were sent.
 */
final class Protocol {
    static final byte TASKS = 1;
    static final byte DEFINE = 2;
    static final byte EXIT = 3;
    static final byte HELLO = 10;
    static final byte INIT_FAILED = 11;
    static final byte RESULTS = 12;

    static final byte CALL = 0;
    static final byte CHUNK = 1;
    static final byte CAPTURED = 2;

    /** A task kind's name, for JFR events and messages. */
    static String kindName(byte kind) {
        return switch (kind) {
            case CALL -> "call";
            case CHUNK -> "chunk";
            case CAPTURED -> "captured";
            default -> "kind " + kind;
        };
    }

    static final byte OK = 0;
    static final byte ERROR = 1;

    /** The largest frame either side accepts. */
    static final int MAX_FRAME = Integer.MAX_VALUE - 8;

    private Protocol() {}

    static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("corrupt message: " + length + " bytes announced, " + in.available() + " left");
        }
        return in.readNBytes(length);
    }

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads a message's fields straight from its bytes (big-endian, as {@code DataInput}). The hot
     * path of every task and result: no stream layers, locks or per-field calls down a chain, which
     * counts most while the JIT has not yet compiled it.
     */
    static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(int n) throws IOException {
            if (n < 0 || n > bytes.length - position) {
                throw new IOException("corrupt message: " + n + " bytes wanted at " + position + " of " + bytes.length);
            }
        }

        byte readByte() throws IOException {
            need(1);
            return bytes[position++];
        }

        int readInt() throws IOException {
            need(4);
            int p = position;
            position += 4;
            return (bytes[p] & 0xff) << 24 | (bytes[p + 1] & 0xff) << 16 | (bytes[p + 2] & 0xff) << 8 | bytes[p + 3] & 0xff;
        }

        long readLong() throws IOException {
            return (long) readInt() << 32 | readInt() & 0xffffffffL;
        }

        /** An int length, then that many bytes. */
        byte[] readBytes() throws IOException {
            int length = readInt();
            need(length);
            byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }
    }

    /** Builds a whole frame (length prefix included) in one array, written with one call. */
    static final class Writer {
        private byte[] bytes;
        private int size = 4; // the frame's length, filled in by frame()

        Writer(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        private void ensure(int n) {
            if (bytes.length - size < n) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        Writer writeByte(byte b) {
            ensure(1);
            bytes[size++] = b;
            return this;
        }

        Writer writeInt(int v) {
            ensure(4);
            bytes[size] = (byte) (v >>> 24);
            bytes[size + 1] = (byte) (v >>> 16);
            bytes[size + 2] = (byte) (v >>> 8);
            bytes[size + 3] = (byte) v;
            size += 4;
            return this;
        }

        Writer writeLong(long v) {
            writeInt((int) (v >>> 32));
            return writeInt((int) v);
        }

        /** An int length, then the bytes. */
        Writer writeBytes(byte[] b) {
            writeInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
            return this;
        }

        /** Writes the frame to {@code out} (not flushed) and empties this writer for the next one. */
        void writeTo(DataOutputStream out) throws IOException {
            int length = size - 4;
            bytes[0] = (byte) (length >>> 24);
            bytes[1] = (byte) (length >>> 16);
            bytes[2] = (byte) (length >>> 8);
            bytes[3] = (byte) length;
            out.write(bytes, 0, size);
            size = 4;
        }
    }

    /** A growable buffer whose bytes can be framed without a copy. */
    static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
