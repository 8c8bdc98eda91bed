package org.multiprocessing4j.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed frames on a connection that has passed the {@link Handshake}: a big-endian int,
 * then that many bytes. A length over the reader's limit is refused before anything is allocated.
 * (Before the handshake, and on channels without one, {@link Frames} carries a MAC on every frame.)
 */
public final class PlainFrames {
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
        byte[] body = new byte[length];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            throw new EOFException("connection closed inside a frame of " + length + " bytes");
        }
        return body;
    }
}
