package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A frame's header is not believed: its body's array grows as its bytes arrive. */
class PlainFramesTest {
    private static byte[] frame(int announced, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(announced);
        out.write(body);
        return bytes.toByteArray();
    }

    @Test
    void aHeaderAnnouncingAGigabyteCostsOnlyWhatArrives() throws IOException {
        byte[] attack = frame(1 << 30, new byte[1000]);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(attack));
        long before = Attacks.allocatedBytes();
        assertThatThrownBy(() -> PlainFrames.read(in, 1 << 30)).isInstanceOf(EOFException.class)
                .hasMessageContaining(String.valueOf(1 << 30));
        long allocated = Attacks.allocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for a frame whose body never came").isLessThan(4L << 20);
    }

    @Test
    void theSameForAuthenticatedFrames() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Frames.MAGIC);
        out.writeInt(Frames.VERSION);
        out.writeInt(1 << 30);
        out.write(new byte[Hmac.LENGTH + 1000]);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
        long before = Attacks.allocatedBytes();
        assertThatThrownBy(() -> Frames.read(in, Hmac.newKey(), 1 << 30)).isInstanceOf(EOFException.class);
        assertThat(Attacks.allocatedBytes() - before).isLessThan(4L << 20);
    }

    @Test
    void aBodyOfManyChunksArrivesWhole() throws IOException {
        byte[] body = new byte[5 * PlainFrames.FIRST_CHUNK + 17];
        new Random(3).nextBytes(body);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame(body.length, body)));
        assertThat(PlainFrames.read(in, body.length)).isEqualTo(body);
        assertThat(PlainFrames.read(in, body.length)).as("clean end of stream").isNull();
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeItsBody() {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(new byte[] {0, 1, 0, 0}));
        assertThatThrownBy(() -> PlainFrames.read(in, 1000)).isInstanceOf(IOException.class)
                .hasMessageContaining("65536 bytes refused");
        DataInputStream negative = new DataInputStream(new ByteArrayInputStream(new byte[] {(byte) 0x80, 0, 0, 0}));
        assertThatThrownBy(() -> PlainFrames.read(negative, 1000)).isInstanceOf(IOException.class);
    }
}
