package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the values that cross a process boundary: a pool's task arguments, chunks and
 * results, a queue's elements, a manager's arguments and results. One tag table for all of them.
 * {@code null}, booleans, ints, longs, doubles, strings and byte arrays (most of what travels) are a
 * tag and the raw value, which spares both sides an object stream per value; anything else is a tag
 * and its serialized form ({@link Serializers}, whose filter every deserialization goes through).
 *
 * <pre>
 *  value:  tag | body                                   every value knows its own length
 *    NULL, TRUE, FALSE      nothing
 *    INT                    4 bytes
 *    LONG, DOUBLE           8 bytes
 *    UTF16                  int n | n × 2 bytes          what a value string is written as: its size
 *                                                        is known without looking at its chars
 *    LATIN1                 int n | n bytes              a string field whose chars all fit a byte
 *                                                        ({@link ByteWriter#writeString})
 *    BYTES                  int n | n bytes
 *    SERIALIZED             int n | n bytes of a serialized object
 *  array:  tag | body                                   a chunk of map items or results, a lambda's
 *    INTS, LONGS, DOUBLES   int n | n × 4 or 8 bytes     captured values ({@link ValueArrays})
 *    STRINGS                int n | n × string
 *    PAIRS                  int n | n × (value, value)   starmap's arguments: entries of raw values
 *    VALUES                 int n | n × value            raw values of mixed kinds
 *    SERIALIZED             int n | n bytes of a serialized ArrayList (references between items kept)
 *  all numbers big-endian
 * </pre>
 *
 * <p>The raw kinds can also be written into and read from a {@link MemorySegment} in place
 * ({@link #rawSize}, {@link #writeRaw}, {@link #readRaw}): the same bytes as {@link #encode} and
 * {@link #decode}, without the intermediate array. Every length read is checked against what is
 * there before anything is allocated for it ({@link ByteReader}); a malformed value is an
 * {@link IOException}.
 */
public final class ValueCodec {
    static final byte SERIALIZED = 0;
    static final byte NULL = 1;
    static final byte INT = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte UTF16 = 5;
    static final byte TRUE = 6;
    static final byte FALSE = 7;
    static final byte BYTES = 8;
    static final byte LATIN1 = 9;
    static final byte INTS = 16;
    static final byte LONGS = 17;
    static final byte DOUBLES = 18;
    static final byte STRINGS = 19;
    static final byte PAIRS = 20;
    static final byte VALUES = 21;
    /** A lambda's captured values holding the library's handles ({@link HandleValues}): never a single value. */
    static final byte HANDLES = 22;

    /** A tag and an int length: what a string, a byte array or a serialized value starts with. */
    static final int HEADER = 5;

    /**
     * The layouts of the shared-memory side, in a holder: {@code ValueLayout}'s initialization (the FFM
     * runtime's, which spins method-handle classes the AOT cache does not hold) cost a child 10 ms or more
     * of its start-up when it decoded its target's captured values from a byte array, which needs none.
     */
    private static final class Layouts {
        static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        static final ValueLayout.OfDouble BE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        static final ValueLayout.OfChar BE_CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    }

    private ValueCodec() {}

    // ---------------------------------------------------------------- one value in a message

    /** Writes {@code value} ({@link ByteWriter#writeValue}). */
    static void write(ByteWriter out, Object value) throws IOException {
        // instanceof rather than a pattern switch: the switch's bootstrap costs a child milliseconds
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Integer i) {
            out.writeByte(INT).writeInt(i);
        } else if (value instanceof String s) {
            out.writeUtf16(s);
        } else if (value instanceof Long l) {
            out.writeByte(LONG).writeLong(l);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE).writeDouble(d);
        } else if (value instanceof byte[] raw) {
            out.writeByte(BYTES).writeBytes(raw);
        } else {
            out.writeByte(SERIALIZED).writeBytes(Serializers.get().serialize(value));
        }
    }

    /** Reads a value ({@link ByteReader#readValue}). */
    static Object read(ByteReader in) throws IOException, ClassNotFoundException {
        int tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case INT -> in.readInt();
            case UTF16, LATIN1 -> in.readString(tag);
            case LONG -> in.readLong();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case DOUBLE -> in.readDouble();
            case BYTES -> in.readBytes();
            case SERIALIZED -> Serializers.get().deserialize(in.readBytes());
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    // ---------------------------------------------------------------- one value alone

    /** The bytes of {@code value} alone. */
    public static byte[] encode(Object value) throws IOException {
        // the fixed-size kinds straight into their array: the hot path of every task and result
        if (value instanceof Integer i) {
            byte[] out = new byte[5];
            out[0] = INT;
            ByteWriter.putInt(out, 1, i);
            return out;
        }
        if (value == null) {
            return new byte[] {NULL};
        }
        if (value instanceof Boolean b) {
            return new byte[] {b ? TRUE : FALSE};
        }
        if (value instanceof Long l) {
            return putLong(LONG, l);
        }
        if (value instanceof Double d) {
            return putLong(DOUBLE, Double.doubleToRawLongBits(d));
        }
        if (value instanceof byte[] raw) {
            return withHeader(BYTES, raw);
        }
        if (value instanceof String s) {
            return new ByteWriter(HEADER + 2 * s.length()).writeUtf16(s).toByteArray();
        }
        return withHeader(SERIALIZED, Serializers.get().serialize(value));
    }

    /** The value {@link #encode} wrote; the bytes must hold it and nothing else. */
    public static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new IOException("an empty value");
        }
        ByteReader in = new ByteReader(bytes);
        Object value = read(in);
        in.requireEnd();
        return value;
    }

    private static byte[] putLong(byte tag, long v) {
        byte[] out = new byte[9];
        out[0] = tag;
        ByteWriter.putInt(out, 1, (int) (v >>> 32));
        ByteWriter.putInt(out, 5, (int) v);
        return out;
    }

    static byte[] withHeader(byte tag, byte[] body) {
        byte[] out = new byte[HEADER + body.length];
        out[0] = tag;
        ByteWriter.putInt(out, 1, body.length);
        System.arraycopy(body, 0, out, HEADER, body.length);
        return out;
    }

    // ---------------------------------------------------------------- one value in shared memory

    /**
     * The length of {@code value}'s encoding if it is one of the raw kinds (null, boolean, int, long,
     * double, string, byte array), else -1: it needs the serializer, and {@link #encode}.
     */
    public static long rawSize(Object value) {
        if (value instanceof Integer) {
            return 5;
        }
        if (value instanceof byte[] raw) {
            return HEADER + (long) raw.length;
        }
        if (value instanceof Long || value instanceof Double) {
            return 9;
        }
        if (value instanceof String s) {
            return HEADER + 2L * s.length();
        }
        if (value == null || value instanceof Boolean) {
            return 1;
        }
        return -1;
    }

    /** Writes the encoding of {@code value}, a raw kind ({@link #rawSize} ≥ 0), at {@code offset}. */
    public static void writeRaw(Object value, MemorySegment to, long offset) {
        // the int, the commonest element, in a method small enough for C2 to inline where it is hot
        // (FreqInlineSize, 325 bytes of bytecode): with every kind in one method it was not, and a
        // just-started queue's first 50,000 elements went at half the speed
        if (value instanceof Integer i) {
            to.set(ValueLayout.JAVA_BYTE, offset, INT);
            to.set(Layouts.BE_INT, offset + 1, i);
        } else {
            writeOther(value, to, offset);
        }
    }

    private static void writeOther(Object value, MemorySegment to, long offset) {
        if (value instanceof byte[] raw) {
            to.set(ValueLayout.JAVA_BYTE, offset, BYTES);
            to.set(Layouts.BE_INT, offset + 1, raw.length);
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, offset + HEADER, raw.length);
        } else if (value instanceof Long l) {
            to.set(ValueLayout.JAVA_BYTE, offset, LONG);
            to.set(Layouts.BE_LONG, offset + 1, l);
        } else if (value instanceof Double d) {
            to.set(ValueLayout.JAVA_BYTE, offset, DOUBLE);
            to.set(Layouts.BE_DOUBLE, offset + 1, d);
        } else if (value instanceof String s) {
            to.set(ValueLayout.JAVA_BYTE, offset, UTF16);
            to.set(Layouts.BE_INT, offset + 1, s.length());
            MemorySegment.copy(s.toCharArray(), 0, to, Layouts.BE_CHAR, offset + HEADER, s.length());
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
            int length = raw.length;
            to.set(ValueLayout.JAVA_BYTE, base + at, BYTES);
            for (int i = 1; i < HEADER; i++) {
                to.set(ValueLayout.JAVA_BYTE, base + (at + i) % ringBytes, (byte) (length >>> (8 * (HEADER - 1 - i))));
            }
            long from = (at + HEADER) % ringBytes;
            int first = (int) Math.min(length, ringBytes - from);
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, base + from, first);
            MemorySegment.copy(raw, first, to, ValueLayout.JAVA_BYTE, base, length - first);
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
        if (from.get(ValueLayout.JAVA_BYTE, base + at) == BYTES && length >= HEADER) {
            int n = 0;
            for (int i = 1; i < HEADER; i++) {
                n = n << 8 | from.get(ValueLayout.JAVA_BYTE, base + (at + i) % ringBytes) & 0xff;
            }
            checkLength(n, 1, length);
            byte[] out = new byte[n];
            long start = (at + HEADER) % ringBytes;
            int first = (int) Math.min(n, ringBytes - start);
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, base + start, out, 0, first);
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, base, out, first, n - first);
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
        if (length <= 0) {
            return false;
        }
        byte tag = from.get(ValueLayout.JAVA_BYTE, offset);
        return tag >= NULL && tag <= LATIN1;
    }

    /** Decodes the {@code length} bytes at {@code offset}, a raw kind ({@link #isRaw}); its lengths are checked against {@code length}. */
    public static Object readRaw(MemorySegment from, long offset, long length) throws IOException {
        // the int in a small method, as in writeRaw(Object, MemorySegment, long)
        if (length == 5 && from.get(ValueLayout.JAVA_BYTE, offset) == INT) {
            return from.get(Layouts.BE_INT, offset + 1);
        }
        return readOther(from, offset, length);
    }

    private static Object readOther(MemorySegment from, long offset, long length) throws IOException {
        if (length <= 0) {
            throw new IOException("an empty value");
        }
        byte tag = from.get(ValueLayout.JAVA_BYTE, offset);
        return switch (tag) {
            case INT -> {
                checkFixed(tag, 5, length);
                yield from.get(Layouts.BE_INT, offset + 1);
            }
            case BYTES -> {
                byte[] out = new byte[checkLength(header(from, offset, length), 1, length)];
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset + HEADER, out, 0, out.length);
                yield out;
            }
            case LONG -> {
                checkFixed(tag, 9, length);
                yield from.get(Layouts.BE_LONG, offset + 1);
            }
            case DOUBLE -> {
                checkFixed(tag, 9, length);
                yield from.get(Layouts.BE_DOUBLE, offset + 1);
            }
            case UTF16 -> {
                char[] chars = new char[checkLength(header(from, offset, length), 2, length)];
                MemorySegment.copy(from, Layouts.BE_CHAR, offset + HEADER, chars, 0, chars.length);
                yield new String(chars);
            }
            case LATIN1 -> {
                byte[] latin1 = new byte[checkLength(header(from, offset, length), 1, length)];
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset + HEADER, latin1, 0, latin1.length);
                yield new String(latin1, StandardCharsets.ISO_8859_1);
            }
            case TRUE, FALSE, NULL -> {
                checkFixed(tag, 1, length);
                yield tag == NULL ? null : tag == TRUE;
            }
            default -> throw new IOException("not a raw encoding: tag " + tag);
        };
    }

    private static int header(MemorySegment from, long offset, long length) throws IOException {
        if (length < HEADER) {
            throw new IOException("a corrupt value: " + length + " bytes, shorter than its header");
        }
        return from.get(Layouts.BE_INT, offset + 1);
    }

    /** {@code n} items of {@code width} bytes must be exactly what follows the header in {@code length} bytes. */
    private static int checkLength(int n, int width, long length) throws IOException {
        if (n < 0 || (long) n * width != length - HEADER) {
            throw new IOException("a corrupt value: " + n + " items of " + width + " bytes announced in " + length
                    + " bytes");
        }
        return n;
    }

    private static void checkFixed(byte tag, int size, long length) throws IOException {
        if (length != size) {
            throw new IOException("a corrupt value: " + length + " bytes for tag " + tag + ", which takes " + size);
        }
    }
}
