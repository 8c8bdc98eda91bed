package org.multiprocessing4j.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Length-prefixed frames on a connection that has passed the {@link Handshake}: a big-endian int,
 * then that many bytes. A length over the reader's limit is refused before anything is allocated,
 * and a length under it is not believed either: the body's array grows as its bytes arrive (from
 * 64 KiB, doubling), so a header announcing 1 GiB costs the reader 64 KiB until the peer has sent
 * half a gigabyte. (Before the handshake, and on channels without one, {@link Frames} carries a MAC
 * on every frame.)
 */
public final class PlainFrames {
    /** The body's array as first allocated, before any of its bytes have arrived. */
    static final int FIRST_CHUNK = 1 << 16;

    private PlainFrames() {}

    /** Writes a frame; the caller flushes. */
    public static void write(DataOutputStream out, byte[] body) throws IOException {
        write(out, body, 0, body.length);
    }

    public static void write(DataOutputStream out, byte[] body, int offset, int length) throws IOException {
        out.writeInt(length);
        out.write(body, offset, length);
    }

    /** One frame, or {@code null} at a clean end of stream. @throws IOException if over {@code maxLength} */
    public static byte[] read(DataInputStream in, int maxLength) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int length = (b0 << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        if (length < 0 || length > maxLength) {
            throw new IOException("frame of " + length + " bytes refused, the limit is " + maxLength);
        }
        return readBody(in, length);
    }

    /**
     * Reads {@code length} bytes into an array that grows as they arrive, never larger than twice
     * what has arrived (nor than {@code length}).
     *
     * @throws EOFException if the stream ends first
     */
    static byte[] readBody(InputStream in, int length) throws IOException {
        byte[] body = new byte[Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        while (filled < length) {
            if (filled == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
            }
            int n = in.read(body, filled, body.length - filled);
            if (n < 0) {
                throw new EOFException("connection closed inside a frame of " + length + " bytes, after " + filled);
            }
            filled += n;
        }
        return body;
    }
}
