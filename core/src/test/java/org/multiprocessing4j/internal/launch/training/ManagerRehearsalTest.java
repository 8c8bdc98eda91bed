package org.multiprocessing4j.internal.launch.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The training's manager rehearsal makes every round trip, then leaves no server thread and no directory. */
class ManagerRehearsalTest {
    @Test
    void everyRoundTripIsMadeAndNothingIsLeftBehind() throws IOException, InterruptedException {
        assertThat(ManagerRehearsal.run()).isEqualTo(ManagerRehearsal.PAIRS);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("rehearsal-manager")) {
                t.join(10_000);
                assertThat(t.isAlive()).as("the rehearsal's server thread").isFalse();
            }
        }
        String prefix = "mp4j-" + ProcessHandle.current().pid() + "-rehearsal";
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))).isEmpty();
        }
    }
}
