package org.multiprocessing4j.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.multiprocessing4j.AuthenticationException;

/**
 * Authenticated frames: every frame carries the HMAC-SHA256 of its payload under the shared authkey,
 * and the reader checks it before it hands a single byte to a deserializer.
 *
 * <pre>
 *  0        4        8        12                        44
 *  +--------+--------+--------+-------------------------+---------------------+
 *  | MAGIC  | VERSION| length | HMAC-SHA256(key, body)  | body (length bytes) |
 *  +--------+--------+--------+-------------------------+---------------------+
 *  all ints big-endian
 * </pre>
 *
 * <p>A wrong magic, version or oversized length is refused before anything is allocated for the body,
 * and the body's array grows as its bytes arrive ({@link PlainFrames#readBody}); a wrong MAC is an
 * {@link AuthenticationException}.
 */
public final class Frames {
    public static final int MAGIC = 0x4d50344a; // "MP4J"
    public static final int VERSION = 1;

    private Frames() {}

    public static void write(OutputStream out, byte[] key, byte[] body) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(body.length);
        data.write(Hmac.sha256(key, body));
        data.write(body);
        data.flush();
    }

    /**
     * Reads one frame.
     *
     * @return the body, or {@code null} at a clean end of stream before the frame's first byte
     * @throws EOFException if the stream ends inside a frame
     * @throws AuthenticationException if the MAC does not match
     * @throws IOException if the header is not a frame of ours, or the length is over {@code maxLength}
     */
    public static byte[] read(InputStream in, byte[] key, int maxLength) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return null;
        }
        int magic = (first << 24) | (data.readUnsignedByte() << 16) | data.readUnsignedShort();
        if (magic != MAGIC) {
            throw new IOException("not a multiprocessing4j frame: magic 0x" + Integer.toHexString(magic));
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("frame version " + version + ", this side speaks " + VERSION);
        }
        int length = data.readInt();
        if (length < 0 || length > maxLength) {
            throw new IOException("frame of " + length + " bytes refused, the limit is " + maxLength);
        }
        byte[] mac = new byte[Hmac.LENGTH];
        data.readFully(mac);
        byte[] body = PlainFrames.readBody(data, length);
        if (!Hmac.verify(Hmac.sha256(key, body), mac)) {
            Arrays.fill(body, (byte) 0);
            throw new AuthenticationException("frame MAC does not match: the peer does not hold the authkey");
        }
        return body;
    }
}
