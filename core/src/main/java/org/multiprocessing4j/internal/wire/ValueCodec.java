package org.multiprocessing4j.internal.wire;

import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The bytes of one value that crosses a process boundary (a pool task's result, a queue's element).
 * {@code null}, booleans, ints, longs, doubles, strings and byte arrays (most of what travels) are a
 * tag and the raw value, which spares both sides an object stream per value; anything else is a tag
 * and its serialized form ({@link Serializers}).
 *
 * <p>The raw kinds can also be written into and read from a {@link MemorySegment} in place
 * ({@link #rawSize}, {@link #writeRaw}, {@link #readRaw}): the same bytes as {@link #encode} and
 * {@link #decode}, big-endian as {@link DataOutputStream} writes them, without the intermediate array.
 */
public final class ValueCodec {
    private static final byte SERIALIZED = 0;
    private static final byte NULL = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte DOUBLE = 4;
    private static final byte STRING = 5;
    private static final byte TRUE = 6;
    private static final byte FALSE = 7;
    private static final byte BYTES = 8;

    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble BE_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfChar BE_CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private ValueCodec() {}

    /**
     * The length of {@code value}'s encoding if it is one of the raw kinds (null, boolean, int, long,
     * double, string, byte array), else -1: it needs the serializer, and {@link #encode}.
     */
    public static long rawSize(Object value) {
        if (value instanceof Integer) {
            return 5;
        }
        if (value instanceof byte[] raw) {
            return 1L + raw.length;
        }
        if (value instanceof Long || value instanceof Double) {
            return 9;
        }
        if (value instanceof String s) {
            return 1L + 2L * s.length();
        }
        if (value == null || value instanceof Boolean) {
            return 1;
        }
        return -1;
    }

    /** Writes the encoding of {@code value}, a raw kind ({@link #rawSize} ≥ 0), at {@code offset}. */
    public static void writeRaw(Object value, MemorySegment to, long offset) {
        if (value instanceof Integer i) {
            to.set(ValueLayout.JAVA_BYTE, offset, INT);
            to.set(BE_INT, offset + 1, i);
        } else if (value instanceof byte[] raw) {
            to.set(ValueLayout.JAVA_BYTE, offset, BYTES);
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, offset + 1, raw.length);
        } else if (value instanceof Long l) {
            to.set(ValueLayout.JAVA_BYTE, offset, LONG);
            to.set(BE_LONG, offset + 1, l);
        } else if (value instanceof Double d) {
            to.set(ValueLayout.JAVA_BYTE, offset, DOUBLE);
            to.set(BE_DOUBLE, offset + 1, d);
        } else if (value instanceof String s) {
            to.set(ValueLayout.JAVA_BYTE, offset, STRING);
            MemorySegment.copy(s.toCharArray(), 0, to, BE_CHAR, offset + 1, s.length());
        } else if (value instanceof Boolean b) {
            to.set(ValueLayout.JAVA_BYTE, offset, b ? TRUE : FALSE);
        } else if (value == null) {
            to.set(ValueLayout.JAVA_BYTE, offset, NULL);
        } else {
            throw new IllegalArgumentException("not a raw value: " + value.getClass().getName());
        }
    }

    /**
     * As {@link #writeRaw(Object, MemorySegment, long)}, into a ring: the {@code ringBytes} bytes from
     * {@code base} in {@code to}, the encoding starting {@code at} bytes into it and going on at the
     * ring's start when it reaches the end. A byte array (the large raw kind) is copied in at most two
     * pieces whether it wraps or not, so that its path has no branch that is taken only now and then.
     */
    public static void writeRaw(Object value, MemorySegment to, long base, long ringBytes, long at) {
        if (value instanceof byte[] raw) {
            to.set(ValueLayout.JAVA_BYTE, base + at, BYTES);
            long from = (at + 1) % ringBytes;
            int first = (int) Math.min(raw.length, ringBytes - from);
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, base + from, first);
            MemorySegment.copy(raw, first, to, ValueLayout.JAVA_BYTE, base, raw.length - first);
        } else if (at + rawSize(value) <= ringBytes) {
            writeRaw(value, to, base + at);
        } else {
            byte[] encoded = new byte[Math.toIntExact(rawSize(value))];
            writeRaw(value, MemorySegment.ofArray(encoded), 0);
            int first = (int) Math.min(encoded.length, ringBytes - at);
            MemorySegment.copy(encoded, 0, to, ValueLayout.JAVA_BYTE, base + at, first);
            MemorySegment.copy(encoded, first, to, ValueLayout.JAVA_BYTE, base, encoded.length - first);
        }
    }

    /**
     * As {@link #readRaw(MemorySegment, long, long)}, from a ring written by
     * {@link #writeRaw(Object, MemorySegment, long, long, long)}.
     */
    public static Object readRaw(MemorySegment from, long base, long ringBytes, long at, long length)
            throws IOException {
        if (from.get(ValueLayout.JAVA_BYTE, base + at) == BYTES) {
            byte[] out = new byte[Math.toIntExact(length - 1)];
            long start = (at + 1) % ringBytes;
            int first = (int) Math.min(out.length, ringBytes - start);
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, base + start, out, 0, first);
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, base, out, first, out.length - first);
            return out;
        }
        if (at + length <= ringBytes) {
            return readRaw(from, base + at, length);
        }
        byte[] encoded = new byte[Math.toIntExact(length)];
        int first = (int) Math.min(length, ringBytes - at);
        MemorySegment.copy(from, ValueLayout.JAVA_BYTE, base + at, encoded, 0, first);
        MemorySegment.copy(from, ValueLayout.JAVA_BYTE, base, encoded, first, encoded.length - first);
        return readRaw(MemorySegment.ofArray(encoded), 0, length);
    }

    /** Whether the {@code length} bytes at {@code offset} decode without the serializer. */
    public static boolean isRaw(MemorySegment from, long offset, long length) {
        return length > 0 && from.get(ValueLayout.JAVA_BYTE, offset) != SERIALIZED;
    }

    /** Decodes the {@code length} bytes at {@code offset}, a raw kind ({@link #isRaw}). */
    public static Object readRaw(MemorySegment from, long offset, long length) throws IOException {
        byte tag = from.get(ValueLayout.JAVA_BYTE, offset);
        return switch (tag) {
            case INT -> from.get(BE_INT, offset + 1);
            case BYTES -> {
                byte[] out = new byte[Math.toIntExact(length - 1)];
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset + 1, out, 0, out.length);
                yield out;
            }
            case LONG -> from.get(BE_LONG, offset + 1);
            case DOUBLE -> from.get(BE_DOUBLE, offset + 1);
            case STRING -> {
                char[] chars = new char[Math.toIntExact((length - 1) / 2)];
                MemorySegment.copy(from, BE_CHAR, offset + 1, chars, 0, chars.length);
                yield new String(chars);
            }
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
            default -> throw new IOException("not a raw encoding: tag " + tag);
        };
    }

    public static byte[] encode(Object value) throws IOException {
        if (value == null) {
            return new byte[] {NULL};
        }
        if (value instanceof Boolean b) {
            return new byte[] {b ? TRUE : FALSE};
        }
        if (value instanceof byte[] raw) {
            byte[] out = new byte[raw.length + 1];
            out[0] = BYTES;
            System.arraycopy(raw, 0, out, 1, raw.length);
            return out;
        }
        // instanceof rather than a pattern switch: the switch's bootstrap costs a worker milliseconds
        // on its first task
        if (value instanceof Integer i) {
            return putInt(new byte[5], INT, i);
        }
        if (value instanceof Long l) {
            return putLong(new byte[9], LONG, l);
        }
        if (value instanceof Double d) {
            return putLong(new byte[9], DOUBLE, Double.doubleToRawLongBits(d));
        }
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(16);
        DataOutputStream out = new DataOutputStream(buffer);
        if (value instanceof String s) {
            out.writeByte(STRING);
            out.writeChars(s); // UTF-16: every string comes back equal, lone surrogates included
        } else {
            out.writeByte(SERIALIZED);
            out.write(Serializers.get().serialize(value));
        }
        return buffer.toByteArray();
    }

    public static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new IOException("empty result");
        }
        return switch (bytes[0]) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case INT -> getInt(bytes, 5);
            case LONG -> getLong(bytes);
            case DOUBLE -> Double.longBitsToDouble(getLong(bytes));
            case STRING -> {
                char[] chars = new char[(bytes.length - 1) / 2];
                java.nio.ByteBuffer.wrap(bytes, 1, bytes.length - 1).asCharBuffer().get(chars);
                yield new String(chars);
            }
            case BYTES -> java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
            case SERIALIZED -> Serializers.get().deserialize(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
            default -> throw new IOException("unknown result encoding " + bytes[0]);
        };
    }

    // Big-endian by hand: a value is a few bytes, and streams or views cost more than the value.

    private static byte[] putInt(byte[] out, byte tag, int v) {
        out[0] = tag;
        out[1] = (byte) (v >>> 24);
        out[2] = (byte) (v >>> 16);
        out[3] = (byte) (v >>> 8);
        out[4] = (byte) v;
        return out;
    }

    private static byte[] putLong(byte[] out, byte tag, long v) {
        out[0] = tag;
        for (int i = 8; i >= 1; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    private static int getInt(byte[] in, int length) throws IOException {
        if (in.length != length) {
            throw new IOException("corrupt value: " + in.length + " bytes for a " + (length - 1) + "-byte number");
        }
        return (in[1] & 0xff) << 24 | (in[2] & 0xff) << 16 | (in[3] & 0xff) << 8 | in[4] & 0xff;
    }

    private static long getLong(byte[] in) throws IOException {
        if (in.length != 9) {
            throw new IOException("corrupt value: " + in.length + " bytes for an 8-byte number");
        }
        long v = 0;
        for (int i = 1; i <= 8; i++) {
            v = v << 8 | in[i] & 0xff;
        }
        return v;
    }
}
