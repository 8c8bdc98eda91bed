package org.multiprocessing4j.internal.wire;

import static org.multiprocessing4j.internal.wire.ValueCodec.DOUBLES;
import static org.multiprocessing4j.internal.wire.ValueCodec.HEADER;
import static org.multiprocessing4j.internal.wire.ValueCodec.INTS;
import static org.multiprocessing4j.internal.wire.ValueCodec.LONGS;
import static org.multiprocessing4j.internal.wire.ValueCodec.PAIRS;
import static org.multiprocessing4j.internal.wire.ValueCodec.SERIALIZED;
import static org.multiprocessing4j.internal.wire.ValueCodec.STRINGS;
import static org.multiprocessing4j.internal.wire.ValueCodec.VALUES;
import static org.multiprocessing4j.internal.wire.ValueCodec.rawSize;
import static org.multiprocessing4j.internal.wire.ValueCodec.withHeader;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Arrays of values, in {@link ValueCodec}'s tag table: a pool's chunk of map items or of results, a
 * lambda's captured values. Every count is checked against what is left of the message before an
 * array is sized by it ({@link ByteReader#readCount}).
 */
public final class ValueArrays {
    private ValueArrays() {}

    /**
     * The bytes of {@code values}: raw when they are all ints, all longs, all doubles, all strings,
     * all entries of raw keys and values (starmap's arguments), or all raw kinds; else one serialized
     * list, so that references between them stay shared.
     */
    public static byte[] encode(Object[] values) throws IOException {
        byte tag = arrayTag(values);
        int n = values.length;
        switch (tag) {
            case INTS -> {
                ByteWriter out = new ByteWriter(HEADER + 4 * n).writeByte(INTS).writeInt(n);
                for (Object v : values) {
                    out.writeInt((Integer) v);
                }
                return out.toByteArray();
            }
            case LONGS, DOUBLES -> {
                ByteWriter out = new ByteWriter(HEADER + 8 * n).writeByte(tag).writeInt(n);
                for (Object v : values) {
                    out.writeLong(tag == LONGS ? (Long) v : Double.doubleToRawLongBits((Double) v));
                }
                return out.toByteArray();
            }
            case STRINGS -> {
                ByteWriter out = new ByteWriter(HEADER + 16 * n).writeByte(STRINGS).writeInt(n);
                for (Object v : values) {
                    out.writeString((String) v);
                }
                return out.toByteArray();
            }
            case PAIRS -> {
                ByteWriter out = new ByteWriter(HEADER + 16 * n).writeByte(PAIRS).writeInt(n);
                for (Object v : values) {
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) v;
                    out.writeValue(e.getKey()).writeValue(e.getValue());
                }
                return out.toByteArray();
            }
            case VALUES -> {
                ByteWriter out = new ByteWriter(HEADER + 8 * n).writeByte(VALUES).writeInt(n);
                for (Object v : values) {
                    out.writeValue(v);
                }
                return out.toByteArray();
            }
            default -> {
                // As a list, not an array: serializing an array makes the JDK compute its
                // serialVersionUID with SHA-1 (security providers: milliseconds in a fresh worker).
                return withHeader(SERIALIZED, Serializers.get().serialize(new ArrayList<>(Arrays.asList(values))));
            }
        }
    }

    /** The values {@link #encode} wrote; the bytes must hold them and nothing else. */
    public static Object[] decode(byte[] bytes) throws IOException, ClassNotFoundException {
        ByteReader in = new ByteReader(bytes);
        int tag = in.readByte();
        Object[] values = switch (tag) {
            case INTS -> {
                Object[] out = new Object[in.readCount(4)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = in.readInt();
                }
                yield out;
            }
            case LONGS, DOUBLES -> {
                Object[] out = new Object[in.readCount(8)];
                for (int i = 0; i < out.length; i++) {
                    long v = in.readLong();
                    out[i] = tag == LONGS ? (Object) v : (Object) Double.longBitsToDouble(v);
                }
                yield out;
            }
            case STRINGS -> {
                Object[] out = new Object[in.readCount(HEADER)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = in.readString();
                }
                yield out;
            }
            case PAIRS -> {
                Object[] out = new Object[in.readCount(2)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = new AbstractMap.SimpleImmutableEntry<>(in.readValue(), in.readValue());
                }
                yield out;
            }
            case VALUES -> {
                Object[] out = new Object[in.readCount(1)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = in.readValue();
                }
                yield out;
            }
            case SERIALIZED -> {
                if (!(Serializers.get().deserialize(in.readBytes()) instanceof List<?> list)) {
                    throw new IOException("a serialized array of values is not a list");
                }
                yield list.toArray();
            }
            default -> throw new IOException("unknown array tag " + tag);
        };
        in.requireEnd();
        return values;
    }

    private static byte arrayTag(Object[] values) {
        if (values.length == 0) {
            return VALUES;
        }
        Class<?> type = values[0] == null ? null : values[0].getClass();
        byte tag = type == Integer.class ? INTS : type == Long.class ? LONGS : type == Double.class ? DOUBLES
                : type == String.class ? STRINGS : type == AbstractMap.SimpleImmutableEntry.class ? PAIRS : VALUES;
        for (Object v : values) {
            if (tag == PAIRS) {
                if (v == null || v.getClass() != type || rawSize(((Map.Entry<?, ?>) v).getKey()) < 0
                        || rawSize(((Map.Entry<?, ?>) v).getValue()) < 0) {
                    return SERIALIZED;
                }
            } else if (tag != VALUES && (v == null || v.getClass() != type)) {
                tag = VALUES; // raw, but of mixed kinds (or with nulls): checked below
            }
            if (tag == VALUES && rawSize(v) < 0) {
                return SERIALIZED;
            }
        }
        return tag;
    }
}
