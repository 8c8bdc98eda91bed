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
 * ({@code .tmp-mp4j.NAME-PID}): the sweep removes it once its creator is gone and it is older than a
 * minute, and leaves alone one of a live creator, a young one, a name without a pid, and another
 * program's {@code .tmp-} file.
 */
class StraySweepTest {
    @Test
    void theSweepRemovesTheTemporaryFileOfAKilledCreatorOnly() throws Exception {
        long dead = Integer.MAX_VALUE; // above any pid_max: never a running process
        long live = 1; // init: running since before any file here was written
        String unique = "stray-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path dir = Segments.directory();
        Path killed = dir.resolve(Segments.TMP_PREFIX + unique + "-a-" + dead);
        Path young = dir.resolve(Segments.TMP_PREFIX + unique + "-b-" + dead);
        Path ofLive = dir.resolve(Segments.TMP_PREFIX + unique + "-c-" + live);
        Path notOurs = dir.resolve(Segments.TMP_PREFIX + unique + "-d-x");
        Path anotherPrograms = dir.resolve(".tmp-" + unique + "-e-" + dead);
        Path[] all = {killed, young, ofLive, notOurs, anotherPrograms};
        try {
            for (Path file : all) {
                Files.write(file, new byte[8]);
            }
            FileTime old = FileTime.from(Instant.now().minus(2, ChronoUnit.MINUTES));
            for (Path file : new Path[] {killed, ofLive, notOurs, anotherPrograms}) {
                Files.setLastModifiedTime(file, old);
            }
            Segments.sweep();
            assertThat(killed).as("a killed creator's, two minutes old").doesNotExist();
            assertThat(young).as("a killed creator's, just written").exists();
            assertThat(ofLive).as("a live creator's").exists();
            assertThat(notOurs).as("no pid in its name").exists();
            assertThat(anotherPrograms).as("another program's temporary file, without the library's marker").exists();
        } finally {
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        }
    }
}
