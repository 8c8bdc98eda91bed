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
 *                 DEFINE  int fnId, int length, bytes            a function for CHUNK tasks
 *                 EXIT                                           finish and exit 0
 * worker → pool   HELLO   int workerId                           connected, initializer done
 *                 INIT_FAILED int workerId, int length, bytes    the initializer threw (serialized)
 *                 RESULTS long rss, int n, n × (long id, byte status, int length, bytes)
 * </pre>
 *
 * <p>A CALL task's bytes are a serialized {@code Callable}; its result is the value. A CHUNK task's
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
