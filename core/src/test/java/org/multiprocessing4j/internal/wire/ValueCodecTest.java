package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-place form of the raw kinds is byte for byte the array form. */
class ValueCodecTest {
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
