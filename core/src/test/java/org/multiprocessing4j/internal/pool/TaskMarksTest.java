package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marks through two mappings of one file, as the pool and its worker hold them (in one JVM here;
 * {@code PoolBlameIT} and {@code PoolFailureIT} kill real workers).
 */
class TaskMarksTest {
    @TempDir
    Path dir;

    @Test
    void whatTheWorkerMarksThePoolReadsAndAStopForbidsEveryLaterStart() throws IOException {
        Path file = dir.resolve("worker-1.marks");
        try (TaskMarks pool = TaskMarks.create(file); TaskMarks worker = TaskMarks.open(file)) {
            assertThat(pool.lvStarted()).isZero();
            for (long id = 1; id <= 5_000; id++) {
                assertThat(worker.start(id)).isTrue();
                assertThat(pool.lvStarted()).isEqualTo(id);
                worker.finish(id);
                assertThat(pool.lvFinished()).isEqualTo(id);
            }
            assertThat(worker.start(5_001)).isTrue();
            assertThat(pool.stop()).as("the last task started").isEqualTo(5_001);
            assertThat(worker.start(5_002)).as("no start after the stop").isFalse();
            assertThat(pool.lvStarted()).isEqualTo(TaskMarks.STOPPED);
            assertThat(pool.lvFinished()).isEqualTo(5_000);
        }
    }

    @Test
    void aFileOfAnotherSizeIsRefused() throws IOException {
        Path file = dir.resolve("worker-2.marks");
        Files.write(file, new byte[(int) TaskMarks.SIZE + 1]);
        assertThatThrownBy(() -> TaskMarks.open(file)).isInstanceOf(IOException.class).hasMessageContaining("bytes");
    }

    @Test
    void closedMarksCannotBeReadAnyMore() throws IOException {
        TaskMarks pool = TaskMarks.create(dir.resolve("worker-3.marks"));
        pool.close();
        assertThatThrownBy(pool::lvStarted).isInstanceOf(IllegalStateException.class);
    }
}
