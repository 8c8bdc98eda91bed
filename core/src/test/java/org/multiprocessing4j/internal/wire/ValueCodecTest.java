package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw values: the array form both ways, and the in-place form (queues) byte for byte the array form. */
class ValueCodecTest {
    private static Object roundTrip(Object value) throws Exception {
        return ValueCodec.decode(ValueCodec.encode(value));
    }

    @Test
    void rawValuesComeBackEqualAndOfTheirType() throws Exception {
        List<Object> values = List.of(true, false, 0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, -1L,
                Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L, 0.0, -0.0, 1.5, Double.MAX_VALUE,
                Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "", "héllo", "\uD800 lone");
        for (Object value : values) {
            assertThat(roundTrip(value)).as("%s", value).isEqualTo(value).isExactlyInstanceOf(value.getClass());
        }
        assertThat(roundTrip(null)).isNull();
        assertThat((Double) roundTrip(Double.NaN)).isNaN();
        assertThat(Double.doubleToRawLongBits((Double) roundTrip(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void numbersTakeATagAndTheirWidth() throws IOException {
        assertThat(ValueCodec.encode(7)).hasSize(5);
        assertThat(ValueCodec.encode(7L)).hasSize(9);
        assertThat(ValueCodec.encode(7.0)).hasSize(9);
    }

    @Test
    void bytesAndOtherObjects() throws Exception {
        byte[] raw = {1, 2, 3, -1};
        assertThat((byte[]) roundTrip(raw)).containsExactly(raw);
        assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
        ArrayList<Object> list = new ArrayList<>(List.of(1, "two", 3.0));
        assertThat(roundTrip(list)).isEqualTo(list);
    }

    @Test
    void corruptInputIsAnIOException() {
        assertThatThrownBy(() -> ValueCodec.decode(new byte[0])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {2, 0, 0})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {3, 0, 0, 0, 0})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {99})).isInstanceOf(IOException.class);
    }

    private static final List<Object> RAW = List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 123_456_789,
            Long.MIN_VALUE, 42L, -0.0d, Double.NaN, Math.PI, true, false, "", "é\uD800x — 漢字",
            new byte[0], new byte[] {1, 2, 3, -128});

    @Test
    void writeRawWritesWhatEncodeReturnsAndReadRawReadsItBack() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            for (Object value : RAW) {
                byte[] encoded = ValueCodec.encode(value);
                assertThat(ValueCodec.rawSize(value)).as("%s", value).isEqualTo(encoded.length);
                MemorySegment m = arena.allocate(encoded.length + 3);
                ValueCodec.writeRaw(value, m, 3); // at an odd offset: the writes are unaligned
                byte[] written = m.asSlice(3).toArray(ValueLayout.JAVA_BYTE);
                assertThat(written).as("%s", value).isEqualTo(encoded);
                assertThat(ValueCodec.isRaw(m, 3, encoded.length)).isTrue();
                assertThat(ValueCodec.readRaw(m, 3, encoded.length)).as("%s", value)
                        .isEqualTo(ValueCodec.decode(encoded));
            }
        }
    }

    @Test
    void otherValuesAreNotRawAndNeedTheSerializer() throws Exception {
        Object value = List.of(1, 2);
        assertThat(ValueCodec.rawSize(value)).isEqualTo(-1);
        assertThatThrownBy(() -> ValueCodec.writeRaw(value, MemorySegment.ofArray(new byte[64]), 0))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] encoded = ValueCodec.encode(value);
        MemorySegment m = MemorySegment.ofArray(encoded);
        assertThat(ValueCodec.isRaw(m, 0, encoded.length)).isFalse();
        assertThatThrownBy(() -> ValueCodec.readRaw(m, 0, encoded.length)).isInstanceOf(IOException.class);
        assertThat(ValueCodec.decode(encoded)).isEqualTo(value);
    }
}
