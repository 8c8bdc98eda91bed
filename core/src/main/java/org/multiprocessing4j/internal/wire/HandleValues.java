package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.internal.conn.PipeEnd;
import org.multiprocessing4j.internal.queue.SharedQueue;
import org.multiprocessing4j.internal.shared.SharedStructure;
import org.multiprocessing4j.internal.sync.ShmBarrier;
import org.multiprocessing4j.internal.sync.ShmEvent;
import org.multiprocessing4j.internal.sync.ShmLock;
import org.multiprocessing4j.internal.sync.ShmSemaphore;

/**
 * The captured values of a lambda that holds the library's handles ({@link RawHandle}: a queue, a lock, an
 * event, a semaphore, a barrier, a shared value or array, a pipe's end) beside raw values, written by
 * {@link CapturedLambda#values} after the tag {@code ValueCodec.HANDLES}: a child's target (the launch
 * message's form {@code LAMBDA_SHARED}) or a pool's task. The receiver reads them without an object stream, whose first use costs a
 * cold JVM 25–40 ms ({@code ObjectInputFilter.Config}'s logger lookup opens every JAR of the class path;
 * then the stream descriptors and their method-handle adapters).
 *
 * <pre>
 *  byte HANDLES, int n, then n values:  byte 'V', a raw value ({@code ValueCodec}: null, flag, number, string, bytes)
 *                       | byte 'H', byte kind, the handle's fields ({@link RawHandle})
 *                       | byte 'S', int i: the handle that value i (before this one) is, again
 * </pre>
 * A handle captured twice (two variables holding one queue) is one object on the receiving side, as an
 * object stream would share it. Every handle is written by its serial form's {@code writeReplace} and read
 * back by its {@code readResolve}, so the hand-off between the processes is the serialized form's; the
 * serial filter's rules hold for each handle's serial form ({@link RawHandle#requireAllowed}), and
 * {@code maxarray=} for a captured byte array, as an object stream applies them.
 */
public final class HandleValues {
    private static final byte VALUE = 'V';
    private static final byte HANDLE = 'H';
    private static final byte SAME = 'S';

    private HandleValues() {}

    /**
     * Whether {@code values} hold at least one handle and nothing but handles and raw values. Writes
     * nothing: writing a handle hands it off, so the caller asks this first.
     */
    public static boolean applies(Object[] values) {
        boolean handle = false;
        for (Object value : values) {
            if (value instanceof RawHandle) {
                handle = true;
            } else if (ValueCodec.rawSize(value) < 0) {
                return false;
            }
        }
        return handle;
    }

    /**
     * The bytes of {@code values} ({@link #applies}) after the tag {@code ValueCodec.HANDLES}, which tells
     * them from {@link ValueArrays}' forms; hands each handle off.
     */
    public static byte[] encode(Object[] values) throws IOException {
        int n = values.length;
        ByteWriter out = new ByteWriter(64 * (n + 1)).writeByte(ValueCodec.HANDLES);
        out.writeInt(n);
        Map<Object, Integer> written = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            Object value = values[i];
            if (value instanceof RawHandle handle) {
                Integer first = written.putIfAbsent(handle, i);
                if (first != null) {
                    out.writeByte(SAME).writeInt(first);
                } else {
                    out.writeByte(HANDLE).writeByte(handle.handleKind());
                    handle.writeHandle(out);
                }
            } else {
                out.writeByte(VALUE).writeValue(value);
            }
        }
        return out.toByteArray();
    }

    /**
     * The values {@link #encode} wrote (all of {@code bytes}, its tag first), each handle attached in this
     * process. If a value cannot be read, the handles attached before it are closed again.
     *
     * @throws IOException if the bytes are malformed (the tag, a count, length, value tag, handle kind or
     *         back-reference that does not fit the message) or the serial filter refuses a handle's serial
     *         form or an array's length; what attaching throws (a segment that is gone, a name that is not
     *         one) comes through as the serialized form's {@code readResolve} would throw it
     */
    public static Object[] decode(byte[] bytes) throws IOException {
        ByteReader in = new ByteReader(bytes);
        if (in.readByte() != ValueCodec.HANDLES) {
            throw new IOException("captured values without the tag of values holding handles");
        }
        Object[] values = new Object[in.readCount(2)];
        try {
            for (int i = 0; i < values.length; i++) {
                values[i] = read(in, values, i);
            }
            in.requireEnd();
        } catch (IOException | RuntimeException | Error e) {
            closeHandles(values);
            throw e;
        }
        return values;
    }

    private static Object read(ByteReader in, Object[] values, int i) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case VALUE -> {
                Object value = in.readRawValue();
                CapturedLambda.requireAllowedArray(value);
                yield value;
            }
            case HANDLE -> readHandle(in);
            case SAME -> {
                int first = in.readInt();
                if (first < 0 || first >= i || !(values[first] instanceof RawHandle)) {
                    throw new IOException("captured value " + i + " names value " + first
                            + ", not a handle before it");
                }
                yield values[first];
            }
            default -> throw new IOException("unknown captured value tag " + tag);
        };
    }

    private static Object readHandle(ByteReader in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case RawHandle.QUEUE -> SharedQueue.readHandle(in);
            case RawHandle.STRUCTURE -> SharedStructure.readHandle(in);
            case RawHandle.PIPE_END -> PipeEnd.readHandle(in);
            case RawHandle.LOCK -> ShmLock.readHandle(in);
            case RawHandle.EVENT -> ShmEvent.readHandle(in);
            case RawHandle.SEMAPHORE -> ShmSemaphore.readHandle(in);
            case RawHandle.BARRIER -> ShmBarrier.readHandle(in);
            default -> throw new IOException("unknown handle kind " + kind);
        };
    }

    /**
     * Closes the handles among {@code values}, which this process attached for a lambda that was not built.
     * Not a pipe's end: a process has one object per end, which attaching hands back, the user's own maybe;
     * closing it would close that end for good. It is released with its last use, as before.
     */
    public static void closeHandles(Object[] values) {
        Set<Object> closed = Collections.newSetFromMap(new IdentityHashMap<>()); // a handle captured twice, once
        for (Object value : values) {
            if (value instanceof RawHandle handle && handle.handleKind() != RawHandle.PIPE_END && closed.add(handle)) {
                try {
                    handle.close();
                } catch (Exception e) {
                    // closing what this process attached: nothing else to undo
                }
            }
        }
    }
}
