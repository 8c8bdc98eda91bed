package org.multiprocessing4j.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
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
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(16);
        DataOutputStream out = new DataOutputStream(buffer);
        // instanceof rather than a pattern switch: the switch's bootstrap costs a worker milliseconds
        // on its first task
        if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof String s) {
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
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
        return switch (bytes[0]) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
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
}
