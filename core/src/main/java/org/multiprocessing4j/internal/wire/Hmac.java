package org.multiprocessing4j.internal.wire;

import java.security.SecureRandom;

/**
 * HMAC-SHA256 (RFC 2104), and fresh authkeys.
 *
 * <p>Written out over {@link Sha256} rather than taken from {@code javax.crypto.Mac} because a child JVM
 * computes one on its start-up path, where loading the JDK's security providers would cost more than
 * the whole computation (see {@link Sha256}). The tests check it against {@code javax.crypto.Mac}.
 *
 * <p>The hash states after the key's inner and outer pad blocks are kept for the key last used
 * ({@link Keyed}): a MAC under the same key then starts from them, which spares two of the four
 * compressions of a short message (a queue element, a task, a result).
 */
public final class Hmac {
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;
    /** The pad states of the key last used (immutable; replaced, never changed). */
    private static volatile Keyed last;

    private Hmac() {}

    /** HMAC-SHA256 of {@code message} under {@code key}. */
    public static byte[] sha256(byte[] key, byte[] message, int offset, int length) {
        Keyed k = last;
        if (k == null || !k.holds(key)) {
            k = new Keyed(key);
            last = k;
        }
        byte[] innerHash = k.inner.copy().update(message, offset, length).digest();
        return k.outer.copy().update(innerHash).digest();
    }

    /** A key, and SHA-256 states that have hashed its inner and its outer pad block (never updated: copied). */
    private static final class Keyed {
        private final byte[] key;
        private final Sha256 inner = new Sha256();
        private final Sha256 outer = new Sha256();

        Keyed(byte[] key) {
            this.key = key.clone();
            byte[] k = key.length > BLOCK ? new Sha256().update(key).digest() : key;
            byte[] innerPad = new byte[BLOCK];
            byte[] outerPad = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                innerPad[i] = (byte) (b ^ 0x36);
                outerPad[i] = (byte) (b ^ 0x5c);
            }
            inner.update(innerPad);
            outer.update(outerPad);
        }

        /** Whether these are {@code candidate}'s pads; compared in constant time, as a MAC is. */
        boolean holds(byte[] candidate) {
            return verify(key, candidate);
        }
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
