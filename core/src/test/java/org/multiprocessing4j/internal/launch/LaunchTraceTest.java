package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LaunchTraceTest {
    private static final long MS = 1_000_000L;

    /** Stamps 1 ms apart from t = 100 ms, in the order of the points. */
    private static long[] stamps() {
        long[] s = new long[11];
        for (int i = 0; i < s.length; i++) {
            s[i] = (100 + i) * MS;
        }
        return s;
    }

    @Test
    void aColdChildsPhasesRunFromPointToPoint() {
        long[] s = stamps();
        s[LaunchTrace.MAIN] = 130 * MS; // 27 ms of boot after the spawn at 101
        s[LaunchTrace.FRAME] = 131 * MS;
        s[LaunchTrace.DESERIALIZED] = 135 * MS;
        s[LaunchTrace.TARGET_STARTED] = 136 * MS;
        s[LaunchTrace.TARGET_RETURNED] = 136 * MS;
        s[LaunchTrace.EXIT_BEGAN] = 137 * MS;
        s[LaunchTrace.EXIT_SEEN] = 143 * MS;
        s[LaunchTrace.JOINED] = 144 * MS;
        var t = new LaunchTrace.Timeline("p", 7, false, s);
        assertThat(t.phases()).containsExactly(
                java.util.Map.entry("spawn", 1.0), java.util.Map.entry("boot", 29.0), java.util.Map.entry("frame", 1.0),
                java.util.Map.entry("deserialize", 4.0), java.util.Map.entry("to target", 1.0),
                java.util.Map.entry("run", 0.0), java.util.Map.entry("to exit", 1.0),
                java.util.Map.entry("exit", 6.0), java.util.Map.entry("join", 1.0));
        assertThat(t.totalMillis()).isEqualTo(44.0);
        assertThat(t.line()).isEqualTo("mp4j launch trace: p (pid 7): spawn 1.0, boot 29.0, frame 1.0, deserialize 4.0, "
                + "to target 1.0, run 0.0, to exit 1.0, exit 6.0, join 1.0; total 44.0 ms");
    }

    @Test
    void aSpareHasNoBootAndItsFrameIsTimedFromTheSend() {
        long[] s = stamps();
        s[LaunchTrace.SPAWNED] = 1 * MS; // booted long before start()
        s[LaunchTrace.MAIN] = 20 * MS;
        var t = new LaunchTrace.Timeline("p", 7, true, s);
        assertThat(t.phases()).doesNotContainKey("boot").containsEntry("spawn", 2.0).containsEntry("frame", 2.0);
        assertThat(t.line()).contains("(pid 7, warm spare)");
    }

    @Test
    void aMissingPointIsLeftOutAndTheNextPhaseRunsFromTheOneBefore() {
        long[] s = stamps();
        s[LaunchTrace.TARGET_RETURNED] = 0; // System.exit in the target
        var t = new LaunchTrace.Timeline("p", 7, false, s);
        assertThat(t.phases()).doesNotContainKey("run").containsEntry("to exit", 2.0);
    }

    @Test
    void thePumpHandsTheTraceLineOverAndKeepsWhatCameBeforeIt() {
        LaunchTrace trace = new LaunchTrace(7);
        String input = "early\n" + new String(OutputPump.MARKER, StandardCharsets.US_ASCII) + "\nhello\npartial"
                + new String(LaunchTrace.MARKER, StandardCharsets.US_ASCII) + "1 2 3 4 5 6\nlate\n";
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(copied, true, StandardCharsets.UTF_8);
        OutputPump pump = new OutputPump(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), () -> target,
                true, trace);
        pump.run();
        assertThat(pump.markerSeen()).isTrue();
        assertThat(copied.toString(StandardCharsets.UTF_8)).isEqualTo("early\nhello\npartiallate\n");
        long[] stamps = trace.timeline("p").stamps();
        assertThat(stamps[LaunchTrace.MAIN]).isEqualTo(1);
        assertThat(stamps[LaunchTrace.EXIT_BEGAN]).isEqualTo(6);
    }

    @Test
    void aMalformedReportIsIgnored() {
        LaunchTrace trace = new LaunchTrace(7);
        trace.childReport("1 2 x 4 5 6");
        trace.childReport("1 2 3");
        assertThat(trace.timeline("p").stamps()[LaunchTrace.MAIN]).isZero();
    }
}
