package org.multiprocessing4j.internal.launch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * How a child learns its parent's authkey: the first bytes on its stdin, a pipe only the parent holds,
 * before any launch frame. Never the environment, which every process the child starts inherits and
 * which {@code /proc/PID/environ} shows to the user's other processes.
 *
 * <pre>
 *  0       4        6
 *  +-------+--------+----------------+
 *  | MAGIC | LENGTH | KEY (LENGTH)   |   then the launch frames ({@link org.multiprocessing4j.internal.wire.Frames})
 *  +-------+--------+----------------+
 * </pre>
 * {@code MAGIC} is {@code "MP4K"}, {@code LENGTH} an unsigned big-endian short (1 to {@value #MAX_KEY}).
 *
 * <p>The key is written once per JVM, when it is spawned: a warm spare and the AOT cache's training
 * run get it before their warm-up message, like a child before its launch message. The buffers that
 * carry it are wiped once it is written or adopted.
 */
final class KeyHandoff {
    static final int MAGIC = 0x4d50344b; // "MP4K"
    static final int MAX_KEY = 4096;

    private KeyHandoff() {}

    /** Writes {@code key} on a child's control channel (not flushed: the launch frame follows). */
    static void write(OutputStream control, byte[] key) throws IOException {
        if (key.length == 0 || key.length > MAX_KEY) {
            throw new IllegalArgumentException("an authkey is 1 to " + MAX_KEY + " bytes, was " + key.length);
        }
        byte[] block = new byte[6 + key.length];
        block[0] = (byte) (MAGIC >>> 24);
        block[1] = (byte) (MAGIC >>> 16);
        block[2] = (byte) (MAGIC >>> 8);
        block[3] = (byte) MAGIC;
        block[4] = (byte) (key.length >>> 8);
        block[5] = (byte) key.length;
        System.arraycopy(key, 0, block, 6, key.length);
        try {
            control.write(block);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /**
     * Reads the key at the start of the control channel; null at end-of-file before its first byte (a
     * parent that died, or a spare retired before it was given anything).
     *
     * @throws IOException if the channel does not start with a key: not a parent of ours writing
     */
    static byte[] read(InputStream control) throws IOException {
        int first = control.read();
        if (first < 0) {
            return null;
        }
        byte[] header = new byte[6];
        header[0] = (byte) first;
        readFully(control, header, 1, 5);
        int magic = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
                | (header[3] & 0xff);
        int length = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
        if (magic != MAGIC) {
            throw new IOException("the control channel does not start with an authkey");
        }
        if (length == 0 || length > MAX_KEY) {
            throw new IOException("an authkey of " + length + " bytes is announced; 1 to " + MAX_KEY + " are allowed");
        }
        byte[] key = new byte[length];
        readFully(control, key, 0, length);
        return key;
    }

    private static void readFully(InputStream in, byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("the control channel ended inside the authkey");
            }
            done += n;
        }
    }
}
