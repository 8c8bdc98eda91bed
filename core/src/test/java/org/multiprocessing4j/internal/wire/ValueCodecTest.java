package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
