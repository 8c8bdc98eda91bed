package org.multiprocessing4j.internal.wire;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Builds a message in one growable array, big-endian as {@link java.io.DataOutput} writes, for
 * {@link ByteReader} to read back: the pool's tasks and results, a manager's calls, the launch
 * envelope and the values of {@link ValueCodec} all go through this pair. Unsynchronized, unlike
 * {@link java.io.ByteArrayOutputStream}, and without a stream's per-field calls down a chain (which
 * count most while the JIT has not compiled them yet).
 *
 * <p>A writer made by {@link #framed} keeps four bytes in front for the length of a
 * {@link PlainFrames} frame, so that {@link #writeTo} writes a whole frame with one call and empties
 * the writer for the next one.
 *
 * <p><b>Concurrency.</b> Confined to one thread at a time.
 */
public final class ByteWriter {
    private static final int FRAME_HEADER = 4;

    private byte[] bytes;
    private final int start; // 4 if the first bytes are a frame's length, else 0
    private int size;

    /** A writer of a plain message (no frame length in front). */
    public ByteWriter(int capacity) {
        this(capacity, 0);
    }

    private ByteWriter(int capacity, int start) {
        this.bytes = new byte[Math.max(16, capacity + start)];
        this.start = start;
        this.size = start;
    }

    /** A writer of frames: {@link #writeTo} prefixes each with its length. */
    public static ByteWriter framed(int capacity) {
        return new ByteWriter(capacity, FRAME_HEADER);
    }

    private void ensure(int n) {
        if (bytes.length - size < n) {
            long wanted = Math.max(2L * bytes.length, (long) size + n);
            if ((long) size + n > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("a message over 2 GiB: " + size + " + " + n + " bytes");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
    }

    public ByteWriter writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
        return this;
    }

    public ByteWriter writeBoolean(boolean b) {
        return writeByte(b ? 1 : 0);
    }

    public ByteWriter writeInt(int v) {
        ensure(4);
        putInt(bytes, size, v);
        size += 4;
        return this;
    }

    public ByteWriter writeLong(long v) {
        ensure(8);
        putInt(bytes, size, (int) (v >>> 32));
        putInt(bytes, size + 4, (int) v);
        size += 8;
        return this;
    }

    public ByteWriter writeDouble(double v) {
        return writeLong(Double.doubleToRawLongBits(v));
    }

    /** An int length, then the bytes: {@link ByteReader#readBytes()}. */
    public ByteWriter writeBytes(byte[] b) {
        writeInt(b.length);
        return writeRaw(b);
    }

    /** The bytes alone, without their length: the reader knows it ({@link ByteReader#readBytes(int)}, {@link ByteReader#rest()}). */
    public ByteWriter writeRaw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /**
     * A string as {@link ValueCodec} writes one ({@link ByteReader#readString}): Latin-1, a byte a
     * char, when every char fits a byte, else UTF-16 (so lone surrogates come back as they were).
     */
    public ByteWriter writeString(String s) {
        int length = s.length();
        ensure(5 + length);
        int from = size;
        bytes[size] = ValueCodec.LATIN1;
        putInt(bytes, size + 1, length);
        size += 5;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                size = from;
                return writeUtf16(s);
            }
            bytes[size++] = (byte) c;
        }
        return this;
    }

    /** A string as UTF-16, two bytes a char: the size is known without looking at the chars. */
    public ByteWriter writeUtf16(String s) {
        int length = s.length();
        ensure(5 + 2 * length);
        bytes[size] = ValueCodec.UTF16;
        putInt(bytes, size + 1, length);
        size += 5;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            bytes[size] = (byte) (c >>> 8);
            bytes[size + 1] = (byte) c;
            size += 2;
        }
        return this;
    }

    /** One value of {@link ValueCodec}. @throws java.io.NotSerializableException if it needs the serializer and cannot */
    public ByteWriter writeValue(Object value) throws IOException {
        ValueCodec.write(this, value);
        return this;
    }

    /** How many bytes have been written (without a frame's length). */
    public int size() {
        return size - start;
    }

    /** A copy of the bytes written (without a frame's length). */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, start, size);
    }

    /** Writes the frame (its length, then its bytes) to {@code out}, not flushed, and empties this writer. */
    public void writeTo(DataOutputStream out) throws IOException {
        if (start != FRAME_HEADER) {
            throw new IllegalStateException("not a writer of frames");
        }
        putInt(bytes, 0, size - FRAME_HEADER);
        out.write(bytes, 0, size);
        size = FRAME_HEADER;
    }

    static void putInt(byte[] to, int at, int v) {
        to[at] = (byte) (v >>> 24);
        to[at + 1] = (byte) (v >>> 16);
        to[at + 2] = (byte) (v >>> 8);
        to[at + 3] = (byte) v;
    }
}
