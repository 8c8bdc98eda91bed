package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.StartMethod;

/** The warm spares' count is checked before any spare boots. */
class LauncherTest {
    @AfterEach
    void clear() {
        System.clearProperty("mp4j.spares");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "65"})
    void aSpareCountOutOfRangeIsRejectedNamingTheProperty(String count) {
        System.setProperty("mp4j.spares", count);
        assertThatThrownBy(() -> new Launcher(StartMethod.WARM_SPARE, () -> new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mp4j.spares must be 1 to 64, was " + count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65"})
    void spawnIgnoresTheSpareCount(String count) {
        System.setProperty("mp4j.spares", count);
        assertThatCode(() -> new Launcher(StartMethod.SPAWN, () -> new byte[0])).doesNotThrowAnyException();
    }
}
