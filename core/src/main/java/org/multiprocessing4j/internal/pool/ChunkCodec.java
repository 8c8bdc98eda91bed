package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * The bytes of a chunk of map items, or of its results. Arrays of one boxed primitive type or of
 * strings (what most {@code map} calls carry) are written as raw values, several times faster than
 * JDK serialization and a fraction of its size; anything else goes through the
 * {@link org.multiprocessing4j.internal.wire.Serializer}.
 *
 * <pre>
 *  byte tag | tag 0: serialized ArrayList
 *           | tag 1..4: int n, then n ints / longs / doubles / (int length, UTF-16 chars)
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
            // As a list, not an array: serializing an array makes the JDK compute its
            // serialVersionUID with SHA-1 (security providers: milliseconds in a fresh worker).
            byte[] serialized = Serializers.get().serialize(new java.util.ArrayList<>(java.util.Arrays.asList(values)));
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

    /** Strings as their UTF-16 chars, so that every string, lone surrogates included, comes back equal. */
    private static byte[] encodeStrings(Object[] values) {
        long size = 1 + Integer.BYTES;
        for (Object v : values) {
            size += Integer.BYTES + 2L * ((String) v).length();
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size));
        out.put(STRINGS).putInt(values.length);
        for (Object v : values) {
            String string = (String) v;
            out.putInt(string.length());
            for (int i = 0; i < string.length(); i++) {
                out.putChar(string.charAt(i));
            }
        }
        return out.array();
    }

    static Object[] decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new IOException("empty chunk");
        }
        if (bytes[0] == SERIALIZED) {
            return ((java.util.List<?>) Serializers.get().deserialize(java.util.Arrays.copyOfRange(bytes, 1, bytes.length))).toArray();
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
                    if (length < 0 || 2L * length > in.remaining()) {
                        throw new IOException("corrupt string of " + length + " chars in a chunk");
                    }
                    char[] chars = new char[length];
                    in.asCharBuffer().get(chars);
                    in.position(in.position() + 2 * length);
                    values[i] = new String(chars);
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
