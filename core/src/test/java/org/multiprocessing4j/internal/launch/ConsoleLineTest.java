package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A child's output copied while a progress bar is drawn in place never lands inside the bar's line. */
class ConsoleLineTest {
    private static final String NL = System.lineSeparator();

    @Test
    void aChildsLineErasesTheBarWhichIsRedrawnBelowIt() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        try {
            ConsoleLine.draw(out, "bar 1");
            byte[] line = "worker says hi\n".getBytes(StandardCharsets.UTF_8);
            ConsoleLine.write(out, line, 0, line.length);
            ConsoleLine.draw(out, "bar 2");
            ConsoleLine.end(out, "bar 3");
        } finally {
            ConsoleLine.end(out, ""); // whatever happened, leave no line drawn for other tests
        }
        String seen = console.toString(StandardCharsets.UTF_8);
        assertThat(seen).startsWith("\r\u001b[Kbar 1\r\u001b[Kworker says hi\nbar 1\r\u001b[Kbar 2\r\u001b[Kbar 3" + NL);
    }

    @Test
    void aChildsUnfinishedLineIsNotOverdrawn() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        try {
            ConsoleLine.draw(out, "bar 1");
            byte[] partial = "no newline yet".getBytes(StandardCharsets.UTF_8);
            ConsoleLine.write(out, partial, 0, partial.length);
            ConsoleLine.draw(out, "bar 2");
        } finally {
            ConsoleLine.end(out, "");
        }
        String seen = console.toString(StandardCharsets.UTF_8);
        assertThat(seen).startsWith("\r\u001b[Kbar 1\r\u001b[Kno newline yet" + NL + "\r\u001b[Kbar 2");
    }

    @Test
    void withoutABarBytesPassThroughUntouched() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        byte[] bytes = "plain\n".getBytes(StandardCharsets.UTF_8);
        ConsoleLine.write(out, bytes, 0, bytes.length);
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("plain\n");
    }
}
