package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

    @Test
    void theMarkerIsSeenAndNotCopied() {
        String input = "jvm warning\n" + new String(OutputPump.MARKER, StandardCharsets.US_ASCII) + "\nchild says hi\n";
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        OutputPump pump = pump(input, copied, true);
        assertThat(pump.markerSeen()).isTrue();
        assertThat(copied.toString(StandardCharsets.UTF_8)).isEqualTo("jvm warning\nchild says hi\n");
    }

    @Test
    void withoutTheMarkerTheTailKeepsTheStartUpError() {
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        OutputPump pump = pump("Invalid maximum heap size: -Xmx1z\nError: Could not create the Java Virtual Machine.", copied, true);
        assertThat(pump.markerSeen()).isFalse();
        assertThat(pump.tail()).contains("Invalid maximum heap size").endsWith("Java Virtual Machine.");
    }

    @Test
    void theTailKeepsTheLastLinesOnly() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            input.append("line ").append(i).append('\n');
        }
        OutputPump pump = pump(input.toString(), new ByteArrayOutputStream(), false);
        assertThat(pump.tail()).startsWith("line 75").endsWith("line 99").doesNotContain("line 74");
    }

    @Test
    void stdoutIsCopiedAsIs() {
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        byte[] binary = new byte[20000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        new OutputPump(new ByteArrayInputStream(binary), () -> new PrintStream(copied, true), false).run();
        assertThat(copied.toByteArray()).isEqualTo(binary);
    }

    private static OutputPump pump(String input, ByteArrayOutputStream copied, boolean watch) {
        PrintStream target = new PrintStream(copied, true, StandardCharsets.UTF_8);
        OutputPump pump = new OutputPump(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), () -> target, watch);
        pump.run();
        return pump;
    }
}
