package org.multiprocessing4j.internal.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * HMAC-SHA256 (RFC 2104) over {@link MessageDigest}, and fresh authkeys.
 *
 * <p>Written out rather than taken from {@code javax.crypto.Mac} because a child JVM computes one on its
 * start-up path, and loading the SunJCE provider costs more than the whole computation. The tests check
 * it against {@code javax.crypto.Mac}.
 */
public final class Hmac {
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Hmac() {}

    /** HMAC-SHA256 of {@code message} under {@code key}. */
    public static byte[] sha256(byte[] key, byte[] message, int offset, int length) {
        MessageDigest digest = sha256();
        byte[] k = key.length > BLOCK ? digest.digest(key) : key;
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        digest.update(inner);
        digest.update(message, offset, length);
        byte[] innerHash = digest.digest();
        digest.update(outer);
        return digest.digest(innerHash);
    }

    public static byte[] sha256(byte[] key, byte[] message) {
        return sha256(key, message, 0, message.length);
    }

    /** Constant-time comparison, so that a peer cannot learn a MAC byte by byte from timing. */
    public static boolean verify(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    /** A new random authkey (32 bytes, as Python's {@code os.urandom(32)}). */
    public static byte[] newKey() {
        byte[] key = new byte[LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
