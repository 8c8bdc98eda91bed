package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacTest {
    private final Random random = new Random(42);

    @Test
    void sha256MatchesTheJdkAtEveryLengthAroundTheBlockBoundaries() throws Exception {
        for (int length = 0; length < 300; length++) {
            byte[] message = bytes(length);
            assertThat(new Sha256().update(message).digest())
                    .as("length %d", length)
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(message));
        }
    }

    @Test
    void sha256OfSplitUpdatesEqualsOneUpdate() throws Exception {
        byte[] message = bytes(1000);
        Sha256 split = new Sha256().update(message, 0, 1).update(message, 1, 63).update(message, 64, 936);
        assertThat(split.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(message));
    }

    @Test
    void hmacMatchesJavaxCryptoForShortAndLongKeys() throws Exception {
        for (int keyLength : new int[] {1, 32, 64, 65, 200}) {
            for (int length : new int[] {0, 1, 55, 56, 64, 1000}) {
                byte[] key = bytes(keyLength);
                byte[] message = bytes(length);
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                assertThat(Hmac.sha256(key, message)).as("key %d, message %d", keyLength, length)
                        .isEqualTo(mac.doFinal(message));
            }
        }
    }

    @Test
    void theKeptPadsOfOneKeyNeverServeAnother() throws Exception {
        byte[] a = bytes(32);
        byte[] b = bytes(64);
        byte[] message = bytes(100);
        for (int i = 0; i < 6; i++) { // alternating keys: each MAC under its own key
            byte[] key = i % 2 == 0 ? a : b;
            assertThat(Hmac.sha256(key, message)).isEqualTo(jdkMac(key, message));
        }
        byte[] changed = a.clone();
        assertThat(Hmac.sha256(changed, message)).isEqualTo(jdkMac(a, message));
        changed[0] ^= 1; // the same array, new contents: a new key
        assertThat(Hmac.sha256(changed, message)).isEqualTo(jdkMac(changed, message));
    }

    @Test
    void threadsWithDifferentKeysEachGetTheirOwnMac() throws Exception {
        int threads = 4;
        byte[][] keys = new byte[threads][];
        for (int t = 0; t < threads; t++) {
            keys[t] = bytes(16 + 16 * t);
        }
        byte[] message = bytes(77);
        java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                byte[] key = keys[t];
                byte[] expected = jdkMac(key, message);
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!java.util.Arrays.equals(Hmac.sha256(key, message), expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        }
    }

    @Test
    void aCopiedStateGoesOnIndependently() throws Exception {
        byte[] head = bytes(70);
        byte[] tail = bytes(30);
        Sha256 state = new Sha256().update(head);
        Sha256 copy = state.copy();
        byte[] whole = java.nio.ByteBuffer.allocate(100).put(head).put(tail).array();
        assertThat(copy.update(tail).digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(whole));
        assertThat(state.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(head));
    }

    private static byte[] jdkMac(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Test
    void verifyComparesWholeArrays() {
        byte[] a = bytes(32);
        assertThat(Hmac.verify(a, a.clone())).isTrue();
        byte[] b = a.clone();
        b[31] ^= 1;
        assertThat(Hmac.verify(a, b)).isFalse();
        assertThat(Hmac.verify(a, new byte[31])).isFalse();
    }

    @Test
    void newKeysAreRandom() {
        assertThat(Hmac.newKey()).hasSize(32).isNotEqualTo(Hmac.newKey());
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
