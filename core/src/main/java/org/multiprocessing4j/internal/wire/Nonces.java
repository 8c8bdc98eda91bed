package org.multiprocessing4j.internal.wire;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

/**
 * Random bytes for challenges. Read from {@code /dev/urandom} where it exists: a child that answers a
 * handshake on its start-up path should not pay for the JDK's security providers ({@link Sha256}).
 */
final class Nonces {
    private Nonces() {}

    static byte[] next(int n) {
        byte[] bytes = new byte[n];
        try (InputStream random = new FileInputStream("/dev/urandom")) {
            int read = random.readNBytes(bytes, 0, n);
            if (read == n) {
                return bytes;
            }
        } catch (IOException e) {
            // not Linux: the JDK's generator below
        }
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
