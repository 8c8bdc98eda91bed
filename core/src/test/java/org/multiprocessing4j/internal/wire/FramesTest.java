package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationException;

class FramesTest {
    private final byte[] key = Hmac.newKey();

    @Test
    void roundTrip() throws IOException {
        byte[] body = "hello".getBytes();
        ByteArrayInputStream in = new ByteArrayInputStream(frame(key, body));
        assertThat(Frames.read(in, key, 100)).isEqualTo(body);
        assertThat(Frames.read(in, key, 100)).as("clean end of stream").isNull();
    }

    @Test
    void wrongKeyIsAnAuthenticationException() {
        byte[] frame = frame(Hmac.newKey(), "payload".getBytes());
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(frame), key, 100))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("authkey");
    }

    @Test
    void tamperedBodyIsAnAuthenticationException() {
        byte[] frame = frame(key, "payload".getBytes());
        frame[frame.length - 1] ^= 1;
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(frame), key, 100))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void oversizedLengthIsRefusedBeforeAnythingIsAllocated() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Frames.MAGIC);
        out.writeInt(Frames.VERSION);
        out.writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(bytes.toByteArray()), key, 1 << 20))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refused");
    }

    @Test
    void garbageIsNotAFrame() {
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream("GET / HTTP/1.1\r\n".getBytes()), key, 100))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void truncatedFrameIsAnEofException() {
        byte[] frame = frame(key, "payload".getBytes());
        byte[] cut = Arrays.copyOf(frame, frame.length - 3);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(cut), key, 100))
                .isInstanceOf(EOFException.class);
    }

    private static byte[] frame(byte[] key, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Frames.write(out, key, body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
