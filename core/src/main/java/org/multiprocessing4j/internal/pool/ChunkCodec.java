package org.multiprocessing4j.internal.pool;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * The bytes of a chunk of map items, or of its results. Arrays of one boxed primitive type or of
 * strings (what most {@code map} calls carry) are written as raw values, several times faster than
 * JDK serialization and a fraction of its size; anything else goes through the
 * {@link org.multiprocessing4j.internal.wire.Serializer}.
 *
 * <pre>
 *  byte tag | tag 0: serialized Object[]
 *           | tag 1..4: int n, then n ints / longs / doubles / (int length, UTF-8 bytes)
 * </pre>
 */
final class ChunkCodec {
    private static final byte SERIALIZED = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte STRINGS = 4;

    private ChunkCodec() {}

    static byte[] encode(Object[] values) throws IOException {
        byte tag = tagOf(values);
        if (tag == SERIALIZED) {
            byte[] serialized = Serializers.get().serialize(values);
            byte[] out = new byte[serialized.length + 1];
            System.arraycopy(serialized, 0, out, 1, serialized.length);
            return out;
        }
        if (tag == STRINGS) {
            return encodeStrings(values);
        }
        int width = tag == INTS ? Integer.BYTES : Long.BYTES;
        ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES + values.length * width);
        out.put(tag).putInt(values.length);
        switch (tag) {
            case INTS -> {
                for (Object v : values) {
                    out.putInt((Integer) v);
                }
            }
            case LONGS -> {
                for (Object v : values) {
                    out.putLong((Long) v);
                }
            }
            default -> {
                for (Object v : values) {
                    out.putDouble((Double) v);
                }
            }
        }
        return out.array();
    }

    private static byte[] encodeStrings(Object[] values) throws IOException {
        Protocol.Buffer buffer = new Protocol.Buffer(16 + values.length * 16);
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeByte(STRINGS);
        out.writeInt(values.length);
        for (Object v : values) {
            byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        return buffer.toByteArray();
    }

    static Object[] decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new IOException("empty chunk");
        }
        if (bytes[0] == SERIALIZED) {
            return (Object[]) Serializers.get().deserialize(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        int n = in.getInt();
        int width = bytes[0] == INTS ? Integer.BYTES : bytes[0] == STRINGS ? Integer.BYTES : Long.BYTES;
        if (n < 0 || (long) n * width > in.remaining()) {
            throw new IOException("corrupt chunk of " + n + " values in " + bytes.length + " bytes");
        }
        Object[] values = new Object[n];
        switch (bytes[0]) {
            case INTS -> {
                for (int i = 0; i < n; i++) {
                    values[i] = in.getInt();
                }
            }
            case LONGS -> {
                for (int i = 0; i < n; i++) {
                    values[i] = in.getLong();
                }
            }
            case DOUBLES -> {
                for (int i = 0; i < n; i++) {
                    values[i] = in.getDouble();
                }
            }
            case STRINGS -> {
                for (int i = 0; i < n; i++) {
                    int length = in.getInt();
                    if (length < 0 || length > in.remaining()) {
                        throw new IOException("corrupt string of " + length + " bytes in a chunk");
                    }
                    values[i] = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
                    in.position(in.position() + length);
                }
            }
            default -> throw new IOException("unknown chunk encoding " + bytes[0]);
        }
        return values;
    }

    private static byte tagOf(Object[] values) {
        if (values.length == 0) {
            return SERIALIZED;
        }
        Class<?> type = values[0] == null ? null : values[0].getClass();
        byte tag = type == Integer.class ? INTS : type == Long.class ? LONGS : type == Double.class ? DOUBLES
                : type == String.class ? STRINGS : SERIALIZED;
        if (tag == SERIALIZED) {
            return tag;
        }
        for (Object v : values) {
            if (v == null || v.getClass() != type) {
                return SERIALIZED;
            }
        }
        return tag;
    }
}
