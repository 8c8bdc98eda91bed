package org.multiprocessing4j.internal.wire;

import java.security.SecureRandom;

/**
 * HMAC-SHA256 (RFC 2104), and fresh authkeys.
 *
 * <p>Written out over {@link Sha256} rather than taken from {@code javax.crypto.Mac} because a child JVM
 * computes one on its start-up path, where loading the JDK's security providers would cost more than
 * the whole computation (see {@link Sha256}). The tests check it against {@code javax.crypto.Mac}.
 */
public final class Hmac {
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;

    private Hmac() {}

    /** HMAC-SHA256 of {@code message} under {@code key}. */
    public static byte[] sha256(byte[] key, byte[] message, int offset, int length) {
        byte[] k = key.length > BLOCK ? new Sha256().update(key).digest() : key;
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        byte[] innerHash = new Sha256().update(inner).update(message, offset, length).digest();
        return new Sha256().update(outer).update(innerHash).digest();
    }

    public static byte[] sha256(byte[] key, byte[] message) {
        return sha256(key, message, 0, message.length);
    }

    /** Constant-time comparison, so that a peer cannot learn a MAC byte by byte from timing. */
    public static boolean verify(byte[] expected, byte[] actual) {
        if (expected.length != actual.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= expected[i] ^ actual[i];
        }
        return difference == 0;
    }

    /** A new random authkey (32 bytes, as Python's {@code os.urandom(32)}). */
    public static byte[] newKey() {
        byte[] key = new byte[LENGTH];
        Random.INSTANCE.nextBytes(key);
        return key;
    }

    /** Created on first use only: a child, which inherits its key, never pays for a SecureRandom. */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }
}
