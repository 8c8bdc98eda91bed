package org.multiprocessing4j.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The temporary file of a segment whose creator was killed between writing it and linking it into place
 * ({@code .tmp-NAME-PID}): the sweep removes it once its creator is gone and it is older than a minute,
 * and leaves alone one of a live creator, a young one, and a name that is not of that form.
 */
class StraySweepTest {
    @Test
    void theSweepRemovesTheTemporaryFileOfAKilledCreatorOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        long live = ProcessHandle.current().pid();
        String unique = "stray-" + live + "-" + System.nanoTime();
        Path dir = Segments.directory();
        Path killed = dir.resolve(Segments.TMP_PREFIX + unique + "-a-" + dead);
        Path young = dir.resolve(Segments.TMP_PREFIX + unique + "-b-" + dead);
        Path ofLive = dir.resolve(Segments.TMP_PREFIX + unique + "-c-" + live);
        Path notOurs = dir.resolve(Segments.TMP_PREFIX + unique + "-d-x");
        try {
            for (Path file : new Path[] {killed, young, ofLive, notOurs}) {
                Files.write(file, new byte[8]);
            }
            FileTime old = FileTime.from(Instant.now().minus(2, ChronoUnit.MINUTES));
            for (Path file : new Path[] {killed, ofLive, notOurs}) {
                Files.setLastModifiedTime(file, old);
            }
            Segments.sweep();
            assertThat(killed).as("a killed creator's, two minutes old").doesNotExist();
            assertThat(young).as("a killed creator's, just written").exists();
            assertThat(ofLive).as("a live creator's").exists();
            assertThat(notOurs).as("no pid in its name").exists();
        } finally {
            for (Path file : new Path[] {killed, young, ofLive, notOurs}) {
                Files.deleteIfExists(file);
            }
        }
    }
}
