package org.multiprocessing4j.internal.wire;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The bytes of one value that crosses a process boundary (a pool task's result, a queue's element).
 * {@code null}, booleans, ints, longs, doubles, strings and byte arrays (most of what travels) are a
 * tag and the raw value, which spares both sides an object stream per value; anything else is a tag
 * and its serialized form ({@link Serializers}).
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

    private ValueCodec() {}

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
