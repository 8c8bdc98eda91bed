package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void signalsBecomeNegativeAsInPython() {
        assertThat(ExitCodes.fromJdk(137)).isEqualTo(-9);
        assertThat(ExitCodes.fromJdk(143)).isEqualTo(-15);
        assertThat(ExitCodes.fromJdk(0)).isZero();
        assertThat(ExitCodes.fromJdk(1)).isEqualTo(1);
        assertThat(ExitCodes.fromJdk(128)).isEqualTo(128);
        assertThat(ExitCodes.fromJdk(255)).isEqualTo(255);
    }

    @Test
    void describesCodesForMessages() {
        assertThat(ExitCodes.describe(3)).isEqualTo("exit code 3");
        assertThat(ExitCodes.describe(-9)).isEqualTo("killed by SIGKILL (-9)");
        assertThat(ExitCodes.describe(-40)).isEqualTo("killed by signal 40 (-40)");
    }
}
