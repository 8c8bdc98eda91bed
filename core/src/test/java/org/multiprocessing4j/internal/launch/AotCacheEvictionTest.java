package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache directory stays bounded: what is unused for two weeks goes, then the least recently used
 * caches beyond {@link AotCache#MAX_CACHES}, never one used within the last hour; a launch marks its cache.
 */
class AotCacheEvictionTest {
    private static final long HOUR = 3_600_000L;
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private Path file(String name, long ageMillis) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.fromMillis(NOW - ageMillis));
        return file;
    }

    @Test
    void cachesAndFailureMarksUnusedForTwoWeeksGoAndTheRestAreKeptUpToTheBound() throws IOException {
        file("old.aot", AotCache.UNUSED.toMillis() + HOUR);
        file("old.failed", AotCache.UNUSED.toMillis() + HOUR);
        file("recent.failed", HOUR);
        file("training.lock", AotCache.UNUSED.toMillis() + HOUR); // the stale sweep's, not this one's
        for (int i = 0; i < 10; i++) {
            file("kept-" + i + ".aot", (i + 2) * HOUR);
        }
        List<String> removed = AotCache.Eviction.evict(dir, NOW);
        assertThat(removed).containsExactlyInAnyOrder("old.aot", "old.failed");
        assertThat(dir.resolve("recent.failed")).exists();
        assertThat(dir.resolve("training.lock")).exists();
        assertThat(AotCache.Eviction.evict(dir, NOW)).as("nothing more to remove").isEmpty();
    }

    @Test
    void beyondTheBoundTheLeastRecentlyUsedGoButNoneUsedWithinTheHour() throws IOException {
        int over = 5;
        for (int i = 0; i < AotCache.MAX_CACHES + over; i++) {
            file("day-" + i + ".aot", (i + 2) * HOUR); // day-0 the most recently used
        }
        for (int i = 0; i < 3; i++) {
            file("busy-" + i + ".aot", i * 60_000L); // used in the last minutes: a program runs on them
        }
        List<String> removed = AotCache.Eviction.evict(dir, NOW);
        // the 3 busy ones and day-0 … day-12 make the 16 most recent; day-13 … day-20 are beyond
        assertThat(removed).hasSize(over + 3).allMatch(name -> name.startsWith("day-"));
        for (int i = AotCache.MAX_CACHES - 3; i < AotCache.MAX_CACHES + over; i++) {
            assertThat(dir.resolve("day-" + i + ".aot")).doesNotExist();
        }
        try (var left = Files.list(dir)) {
            assertThat(left.count()).isEqualTo(AotCache.MAX_CACHES);
        }

        // thousands of new caches, a training at each: the directory never holds more than the bound + 1
        for (int k = 0; k < 2_000; k++) {
            Files.setLastModifiedTime(file("new-" + k + ".aot", 0), FileTime.fromMillis(NOW + k * HOUR));
            AotCache.Eviction.evict(dir, NOW + k * HOUR + 2 * HOUR);
            try (var left = Files.list(dir)) {
                assertThat(left.count()).isLessThanOrEqualTo(AotCache.MAX_CACHES + 1);
            }
        }
    }

    @Test
    void aLaunchMarksTheCacheItUsesOncePerJvm() throws IOException {
        AotCache aot = new AotCache(dir);
        Path cache = file("used.aot", 0);
        long before = System.currentTimeMillis() - 3 * 24 * HOUR;
        Files.setLastModifiedTime(cache, FileTime.fromMillis(before));
        assertThat(aot.use(cache)).contains("-XX:AOTCache=" + cache);
        long marked = Files.getLastModifiedTime(cache).toMillis();
        assertThat(marked).as("its last use: now").isGreaterThan(before + 2 * 24 * HOUR);
        Files.setLastModifiedTime(cache, FileTime.fromMillis(before));
        assertThat(aot.use(cache)).contains("-XX:AOTCache=" + cache);
        assertThat(Files.getLastModifiedTime(cache).toMillis()).as("once per JVM, not per launch").isEqualTo(before);
    }
}
