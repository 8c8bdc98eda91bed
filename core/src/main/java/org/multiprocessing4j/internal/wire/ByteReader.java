package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads back what a {@link ByteWriter} wrote, from bytes a peer sent: every length and count is
 * checked against what is left before anything is allocated for it or read, so a hostile or
 * corrupt message is an {@link IOException}, never a huge allocation or a read past its end.
 *
 * <p><b>Concurrency.</b> Confined to one thread at a time.
 */
public final class ByteReader {
    private final byte[] bytes;
    private final int end;
    private int position;

    public ByteReader(byte[] bytes) {
        this(bytes, 0);
    }

    /** Reads {@code bytes} from {@code offset} to their end. */
    public ByteReader(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.end = bytes.length;
        this.position = offset;
    }

    /** How many bytes are left. */
    public int remaining() {
        return end - position;
    }

    private void need(long n) throws IOException {
        if (n < 0 || n > end - position) {
            throw new IOException("a corrupt message: " + n + " bytes wanted at offset " + position + " of " + end);
        }
    }

    public byte readByte() throws IOException {
        need(1);
        return bytes[position++];
    }

    public int readUnsignedByte() throws IOException {
        return readByte() & 0xff;
    }

    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    public int readInt() throws IOException {
        need(4);
        int p = position;
        position += 4;
        return getInt(bytes, p);
    }

    public long readLong() throws IOException {
        need(8);
        int p = position;
        position += 8;
        return (long) getInt(bytes, p) << 32 | getInt(bytes, p + 4) & 0xffffffffL;
    }

    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /**
     * A count of things that follow, each at least {@code minBytesEach} bytes long: refused if they
     * cannot fit in what is left, so that an array sized by it is never larger than the message.
     */
    public int readCount(int minBytesEach) throws IOException {
        int n = readInt();
        if (n < 0 || (long) n * minBytesEach > end - position) {
            throw new IOException("a corrupt message: " + n + " items of at least " + minBytesEach
                    + " bytes announced, " + (end - position) + " bytes left");
        }
        return n;
    }

    /** An int length, then that many bytes ({@link ByteWriter#writeBytes}). */
    public byte[] readBytes() throws IOException {
        return readBytes(readInt());
    }

    /** The next {@code n} bytes. */
    public byte[] readBytes(int n) throws IOException {
        need(n);
        byte[] out = Arrays.copyOfRange(bytes, position, position + n);
        position += n;
        return out;
    }

    /** The rest of the message, which the last field takes to its end. */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(bytes, position, end);
        position = end;
        return out;
    }

    /** A string ({@link ByteWriter#writeString}). */
    public String readString() throws IOException {
        int tag = readByte();
        if (tag != ValueCodec.LATIN1 && tag != ValueCodec.UTF16) {
            throw new IOException("a string was expected, found tag " + tag);
        }
        return readString(tag);
    }

    /** The rest of a string whose tag, {@link ValueCodec#LATIN1} or {@link ValueCodec#UTF16}, has been read. */
    String readString(int tag) throws IOException {
        int length = readInt();
        if (tag == ValueCodec.LATIN1) {
            need(length);
            String s = new String(bytes, position, length, StandardCharsets.ISO_8859_1);
            position += length;
            return s;
        }
        need(2L * length);
        char[] chars = new char[length];
        for (int i = 0, p = position; i < length; i++, p += 2) {
            chars[i] = (char) ((bytes[p] & 0xff) << 8 | bytes[p + 1] & 0xff);
        }
        position += 2 * length;
        return new String(chars);
    }

    /** One value of {@link ValueCodec}; a serialized one goes through the serializer and its filter. */
    public Object readValue() throws IOException, ClassNotFoundException {
        return ValueCodec.read(this);
    }

    /** One value of {@link ValueCodec}'s raw kinds (no object stream): a serialized one is refused. */
    public Object readRawValue() throws IOException {
        need(1);
        if (bytes[position] == ValueCodec.SERIALIZED) {
            throw new IOException("a serialized value where only raw values may be");
        }
        try {
            return ValueCodec.read(this);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e); // no raw kind names a class
        }
    }

    /** @throws IOException if anything is left: a message is read whole or refused */
    public void requireEnd() throws IOException {
        if (position != end) {
            throw new IOException((end - position) + " bytes after the end of a message");
        }
    }

    static int getInt(byte[] in, int p) {
        return (in[p] & 0xff) << 24 | (in[p + 1] & 0xff) << 16 | (in[p + 2] & 0xff) << 8 | in[p + 3] & 0xff;
    }
}
