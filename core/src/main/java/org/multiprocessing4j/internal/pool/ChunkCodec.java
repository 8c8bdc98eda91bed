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
 *           | tag 5: int n, then n pairs (starmap's arguments) of (int length, ValueCodec bytes) × 2
 * </pre>
 */
final class ChunkCodec {
    private static final byte SERIALIZED = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte STRINGS = 4;
    private static final byte PAIRS = 5;

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
        if (tag == PAIRS) {
            return encodePairs(values);
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

    /** Entries whose key and value are raw kinds: each as two ValueCodec encodings. */
    private static byte[] encodePairs(Object[] values) throws IOException {
        byte[][] parts = new byte[values.length * 2][];
        long size = 1 + Integer.BYTES;
        for (int i = 0; i < values.length; i++) {
            java.util.Map.Entry<?, ?> e = (java.util.Map.Entry<?, ?>) values[i];
            parts[2 * i] = org.multiprocessing4j.internal.wire.ValueCodec.encode(e.getKey());
            parts[2 * i + 1] = org.multiprocessing4j.internal.wire.ValueCodec.encode(e.getValue());
            size += 2L * Integer.BYTES + parts[2 * i].length + parts[2 * i + 1].length;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size));
        out.put(PAIRS).putInt(values.length);
        for (byte[] part : parts) {
            out.putInt(part.length).put(part);
        }
        return out.array();
    }

    private static Object[] decodePairs(ByteBuffer in, int n) throws IOException, ClassNotFoundException {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = new java.util.AbstractMap.SimpleImmutableEntry<>(rawValue(in), rawValue(in));
        }
        return values;
    }

    private static Object rawValue(ByteBuffer in) throws IOException, ClassNotFoundException {
        int length = in.remaining() < Integer.BYTES ? -1 : in.getInt();
        if (length < 1 || length > in.remaining()) {
            throw new IOException("corrupt pair value of " + length + " bytes in a chunk");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return org.multiprocessing4j.internal.wire.ValueCodec.decode(bytes);
    }

    static Object[] decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new IOException("empty chunk");
        }
        if (bytes[0] == PAIRS) {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            int n = in.remaining() < Integer.BYTES ? -1 : in.getInt();
            if (n < 0 || (long) n * 2 * (Integer.BYTES + 1) > in.remaining()) {
                throw new IOException("corrupt chunk of " + n + " pairs in " + bytes.length + " bytes");
            }
            return decodePairs(in, n);
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

    /** starmap's arguments: entries of raw keys and values, else serialized. */
    private static byte pairsTag(Object[] values) {
        for (Object v : values) {
            if (v == null || v.getClass() != java.util.AbstractMap.SimpleImmutableEntry.class) {
                return SERIALIZED;
            }
            java.util.Map.Entry<?, ?> e = (java.util.Map.Entry<?, ?>) v;
            if (org.multiprocessing4j.internal.wire.ValueCodec.rawSize(e.getKey()) < 0
                    || org.multiprocessing4j.internal.wire.ValueCodec.rawSize(e.getValue()) < 0) {
                return SERIALIZED;
            }
        }
        return PAIRS;
    }

    private static byte tagOf(Object[] values) {
        if (values.length == 0) {
            return SERIALIZED;
        }
        Class<?> type = values[0] == null ? null : values[0].getClass();
        if (type == java.util.AbstractMap.SimpleImmutableEntry.class) {
            return pairsTag(values);
        }
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
