package org.multiprocessing4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bench's progress per workload: a bar in place on a terminal, the plain lines elsewhere. */
class RowProgressTest {
    private static final String ERASE = "\r\u001b[K";

    @Test
    void plainLinesWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        RowProgress progress = new RowProgress(out, false, "event wake", 2);
        progress.running("round 1/2  mp4j     AOT cache           ");
        progress.ended("round 1/2  mp4j     AOT cache           ", "wake 5.0 µs   (1.0 s)", true);
        progress.running("round 2/2  mp4j     AOT cache           ");
        progress.ended("round 2/2  mp4j     AOT cache           ", "FAILED, not run again: boom", false);
        progress.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "  [event wake] round 1/2  mp4j     AOT cache           wake 5.0 µs   (1.0 s)" + System.lineSeparator()
                + "  [event wake] round 2/2  mp4j     AOT cache           FAILED, not run again: boom"
                + System.lineSeparator());
    }

    @Test
    void onATerminalOneBarIsRedrawnBelowTheFinishedRuns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        RowProgress progress = new RowProgress(out, true, "queue", 4);
        progress.running("round 1/2  CPython  fork");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith(ERASE + "  [queue]   0% |").contains("| 0/4 runs [")
                .endsWith("]  round 1/2  CPython  fork");
        bytes.reset();
        progress.ended("round 1/2  CPython  fork ", "items 1.0k/s   (2.0 s)", true);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(ERASE + "  [queue] round 1/2  CPython  fork items 1.0k/s   (2.0 s)" + System.lineSeparator());
        bytes.reset();
        progress.skipped(1);
        progress.running("round 1/2  mp4j     AOT cache");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(" 50% |██████████          | 2/4 runs [")
                .contains(", 1 failed");
        progress.ended("round 1/2  mp4j     AOT cache", "x", true);
        progress.skipped(1);
        bytes.reset();
        progress.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith(ERASE + "  [queue] 100% |" + "█".repeat(20) + "| 4/4 runs [")
                .endsWith(System.lineSeparator());
    }
}
