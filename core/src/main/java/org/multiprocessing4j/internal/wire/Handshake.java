package org.multiprocessing4j.internal.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.multiprocessing4j.AuthenticationException;

/**
 * Mutual authentication of a fresh connection, as Python's {@code multiprocessing.connection}
 * ({@code deliver_challenge}/{@code answer_challenge}): each side sends a random challenge and checks
 * that the other answers with its HMAC-SHA256 under the shared authkey. Nothing else is read from the
 * peer before both checks pass, and every message here is bounded ({@link #MAX_MESSAGE} bytes).
 *
 * <pre>
 *  server                              client
 *  #CHALLENGE# + 32 random bytes  ──▶
 *                                 ◀──  HMAC(key, that message)
 *  #WELCOME# or #FAILURE#         ──▶
 *                                 ◀──  #CHALLENGE# + 32 random bytes
 *  HMAC(key, that message)        ──▶
 *                                 ◀──  #WELCOME# or #FAILURE#
 * </pre>
 */
public final class Handshake {
    private static final byte[] CHALLENGE = "#CHALLENGE#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 32;
    static final int MAX_MESSAGE = 256;

    private Handshake() {}

    /** The accepting side: challenges first. @throws AuthenticationException if the peer has another key */
    public static void server(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        deliverChallenge(in, out, key);
        answerChallenge(in, out, key);
    }

    /** The connecting side: answers first. @throws AuthenticationException if the peer has another key */
    public static void client(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        answerChallenge(in, out, key);
        deliverChallenge(in, out, key);
    }

    private static void deliverChallenge(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        byte[] message = new byte[CHALLENGE.length + NONCE];
        System.arraycopy(CHALLENGE, 0, message, 0, CHALLENGE.length);
        System.arraycopy(Nonces.next(NONCE), 0, message, CHALLENGE.length, NONCE);
        PlainFrames.write(out, message);
        out.flush();
        byte[] response = PlainFrames.read(in, MAX_MESSAGE);
        if (response == null || !Hmac.verify(Hmac.sha256(key, message), response)) {
            PlainFrames.write(out, FAILURE);
            out.flush();
            throw new AuthenticationException("the peer's answer to our challenge is wrong: it does not hold the authkey");
        }
        PlainFrames.write(out, WELCOME);
        out.flush();
    }

    private static void answerChallenge(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        byte[] message = PlainFrames.read(in, MAX_MESSAGE);
        if (message == null || message.length <= CHALLENGE.length
                || !Arrays.equals(message, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
            throw new AuthenticationException("the peer did not send a challenge");
        }
        PlainFrames.write(out, Hmac.sha256(key, message));
        out.flush();
        byte[] verdict = PlainFrames.read(in, MAX_MESSAGE);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw new AuthenticationException("the peer refused our answer: the authkeys differ");
        }
    }
}
