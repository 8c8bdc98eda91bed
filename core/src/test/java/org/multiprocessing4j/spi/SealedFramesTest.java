package org.multiprocessing4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationException;

class SealedFramesTest {
    record Point(int x, String label) implements Serializable {}

    @Test
    void everyKindOfValueComesBackAsItWasSealed() {
        byte[] key = SealedFrames.newKey();
        List<Object> values = new ArrayList<>(List.of(42, -7L, 2.5, true, false, "héllo", "", new Point(3, "p"),
                new ArrayList<>(List.of(1, "two"))));
        values.add(null);
        for (Object v : values) {
            assertThat(SealedFrames.open(key, SealedFrames.seal(key, v))).as("%s", v).isEqualTo(v);
        }
        byte[] bytes = {1, 2, 3};
        assertThat((byte[]) SealedFrames.open(key, SealedFrames.seal(key, bytes))).isEqualTo(bytes);
    }

    @Test
    void aSmallValueIsARawValueNotAnObjectStream() {
        byte[] key = SealedFrames.newKey();
        // 44 bytes of header and MAC; an int is a tag and 4 bytes (an object stream of an Integer is 81)
        assertThat(SealedFrames.seal(key, 12345)).hasSize(44 + 5);
    }

    @Test
    void aFrameUnderAnotherKeyIsRefusedBeforeAnythingIsRead() {
        byte[] frame = SealedFrames.seal(SealedFrames.newKey(), new Point(1, "x"));
        assertThatThrownBy(() -> SealedFrames.open(SealedFrames.newKey(), frame)).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void theSameValueSealsToTheSameFrame() {
        // the dict's keys compare by their frames
        byte[] key = SealedFrames.newKey();
        assertThat(SealedFrames.seal(key, "k")).isEqualTo(SealedFrames.seal(key, "k"));
        assertThat(SealedFrames.seal(key, 7)).isEqualTo(SealedFrames.seal(key, 7)).isNotEqualTo(SealedFrames.seal(key, 7L));
    }

    @Test
    void anUnserializableObjectIsNamed() {
        Object o = new Object();
        assertThatThrownBy(() -> SealedFrames.seal(SealedFrames.newKey(), o))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    }
}
