package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The one bounds-checked reader: every length and count a peer announces is checked against what is
 * left of its message, so a few hostile bytes are an {@link IOException}, never a huge allocation or
 * a read past the end; and what a {@link ByteWriter} writes comes back.
 */
class ByteReaderTest {
    /** A message of {@code tag} then the big-endian int {@code announced}, and nothing after it. */
    private static byte[] announcing(int tag, int announced) {
        byte[] b = new byte[5];
        b[0] = (byte) tag;
        ByteWriter.putInt(b, 1, announced);
        return b;
    }

    private static void refusedWithoutAllocating(ThrowingRead read) {
        long before = Attacks.allocatedBytes();
        assertThatThrownBy(read::run).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        assertThat(Attacks.allocatedBytes() - before).as("bytes allocated reading it").isLessThan(1L << 20);
    }

    private interface ThrowingRead {
        void run() throws Exception;
    }

    @Test
    void whatAWriterWritesComesBack() throws Exception {
        ByteWriter w = new ByteWriter(1).writeByte(-3).writeBoolean(true).writeInt(Integer.MIN_VALUE)
                .writeLong(0x0102030405060708L).writeDouble(-0.0).writeBytes(new byte[] {7, 8})
                .writeString("café").writeString("λ \uD800").writeRaw(new byte[] {9});
        ByteReader r = new ByteReader(w.toByteArray());
        assertThat(r.readByte()).isEqualTo((byte) -3);
        assertThat(r.readBoolean()).isTrue();
        assertThat(r.readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(r.readLong()).isEqualTo(0x0102030405060708L);
        assertThat(Double.doubleToRawLongBits(r.readDouble())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(r.readBytes()).containsExactly(7, 8);
        assertThat(r.readString()).isEqualTo("café");
        assertThat(r.readString()).isEqualTo("λ \uD800");
        assertThat(r.readBytes(1)).containsExactly(9);
        r.requireEnd();
    }

    @Test
    void theNumbersAreBigEndianAsDataOutputWritesThem() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeInt(0x01020304);
        out.writeLong(-2L);
        out.writeDouble(Math.PI);
        assertThat(new ByteWriter(0).writeInt(0x01020304).writeLong(-2L).writeDouble(Math.PI).toByteArray())
                .isEqualTo(expected.toByteArray());
    }

    @Test
    void aFramedWriterPrefixesEachFrameWithItsLengthAndStartsAgain() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(sink);
        ByteWriter w = ByteWriter.framed(2);
        w.writeByte(1).writeInt(2).writeTo(out);
        w.writeByte(3).writeTo(out);
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(sink.toByteArray()));
        assertThat(PlainFrames.read(in, 100)).containsExactly(1, 0, 0, 0, 2);
        assertThat(PlainFrames.read(in, 100)).containsExactly(3);
        assertThat(PlainFrames.read(in, 100)).isNull();
        assertThatThrownBy(() -> new ByteWriter(4).writeTo(out)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aByteArrayLongerThanItsMessageIsRefused() {
        for (int announced : new int[] {Integer.MAX_VALUE, 1 << 30, -1, Integer.MIN_VALUE, 5}) {
            byte[] attack = Arrays.copyOfRange(announcing(0, announced), 1, 5);
            refusedWithoutAllocating(() -> new ByteReader(attack).readBytes());
        }
        refusedWithoutAllocating(() -> new ByteReader(new byte[3]).readBytes(4));
        refusedWithoutAllocating(() -> new ByteReader(new byte[3]).readBytes(-1));
    }

    @Test
    void aLatin1StringLongerThanItsMessageIsRefused() {
        refusedWithoutAllocating(() -> new ByteReader(announcing(ValueCodec.LATIN1, Integer.MAX_VALUE)).readString());
        refusedWithoutAllocating(() -> new ByteReader(announcing(ValueCodec.LATIN1, -7)).readString());
    }

    @Test
    void aUtf16StringLongerThanItsMessageIsRefusedEvenWhenTwiceItsLengthOverflows() {
        refusedWithoutAllocating(() -> new ByteReader(announcing(ValueCodec.UTF16, Integer.MAX_VALUE)).readString());
        refusedWithoutAllocating(() -> new ByteReader(announcing(ValueCodec.UTF16, 1 << 30)).readString());
        refusedWithoutAllocating(() -> new ByteReader(announcing(ValueCodec.UTF16, -1)).readString());
    }

    @Test
    void aStringWithAnotherTagIsRefused() {
        assertThatThrownBy(() -> new ByteReader(announcing(ValueCodec.INT, 0)).readString())
                .isInstanceOf(IOException.class).hasMessageContaining("string");
    }

    @Test
    void aCountOfMoreItemsThanFitInTheRestIsRefused() throws Exception {
        byte[] eight = Arrays.copyOf(Arrays.copyOfRange(announcing(0, 2), 1, 5), 12);
        assertThat(new ByteReader(eight).readCount(4)).isEqualTo(2);
        refusedWithoutAllocating(() -> new ByteReader(eight).readCount(5));
        byte[] huge = Arrays.copyOfRange(announcing(0, Integer.MAX_VALUE), 1, 5);
        refusedWithoutAllocating(() -> new ByteReader(huge).readCount(1));
        byte[] negative = Arrays.copyOfRange(announcing(0, -1), 1, 5);
        refusedWithoutAllocating(() -> new ByteReader(negative).readCount(0));
    }

    @Test
    void numbersCutShortAreRefused() {
        assertThatThrownBy(() -> new ByteReader(new byte[3]).readInt()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[7]).readLong()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[0]).readByte()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[2], 2).readBoolean()).isInstanceOf(IOException.class);
    }

    @Test
    void bytesLeftOverAreRefused() throws Exception {
        ByteReader r = new ByteReader(new byte[5]);
        r.readInt();
        assertThatThrownBy(r::requireEnd).isInstanceOf(IOException.class).hasMessageContaining("1 bytes after");
        assertThat(r.rest()).hasSize(1);
        r.requireEnd();
    }
}
