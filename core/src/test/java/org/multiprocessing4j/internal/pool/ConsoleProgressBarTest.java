package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Progress;

class ConsoleProgressBarTest {

    @Test
    void aKnownTotalShowsCountPercentageRateAndEta() {
        String line = ConsoleProgressBar.render(new Progress("map", 250, 0, 1000, Duration.ofSeconds(5)));
        assertThat(line).startsWith("map  25% |█████").contains("| 250/1000 [00:05<00:15, 50.0 items/s]");
    }

    @Test
    void anUnknownTotalShowsCountAndRate() {
        String line = ConsoleProgressBar.render(new Progress("imap", 120, 3, -1, Duration.ofSeconds(60)));
        assertThat(line).isEqualTo("imap 120 [01:00, 2.0 items/s], 3 failed");
    }

    @Test
    void plainLinesAreWholeLinesAndTheEndIsAlwaysPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                Duration.ofDays(1));
        bar.started(new Progress("map", 0, 0, 10, Duration.ZERO));
        bar.progress(new Progress("map", 5, 0, 10, Duration.ofSeconds(1)));
        bar.finished(new Progress("map", 10, 0, 10, Duration.ofSeconds(2)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\r").hasLineCount(1).contains("100%").contains("10/10");
    }

    @Test
    void inPlaceTheBarIsRedrawnThenEnded() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
                Duration.ZERO);
        bar.started(new Progress("map", 0, 0, 2, Duration.ZERO));
        bar.progress(new Progress("map", 1, 0, 2, Duration.ofSeconds(1)));
        bar.finished(new Progress("map", 2, 0, 2, Duration.ofSeconds(2)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split("\r", -1)).hasSize(4); // three draws, each from the line's start
        assertThat(out).contains(" 50% ").endsWith("2/2 [00:02<00:00, 1.0 items/s]" + System.lineSeparator());
        assertThat(out.indexOf('\n')).as("one line only, ended at the end").isEqualTo(out.length() - 1);
    }

    @Test
    void clockShowsHoursOnlyWhenNeeded() {
        assertThat(ConsoleProgressBar.clock(Duration.ofSeconds(75))).isEqualTo("01:15");
        assertThat(ConsoleProgressBar.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }
}
