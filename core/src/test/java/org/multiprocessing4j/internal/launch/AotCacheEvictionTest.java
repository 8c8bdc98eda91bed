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
 * caches beyond {@link AotCache#MAX_CACHES}, never one used within the last hour, and never a file the
 * library did not name; a launch marks its cache used.
 */
class AotCacheEvictionTest {
    private static final long HOUR = 3_600_000L;
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    /** A key as {@code AotCache.key} makes them: 32 hex digits, here numbered. */
    private static String key(String prefix, int i) {
        String digits = prefix + Integer.toHexString(i);
        return "0".repeat(32 - digits.length()) + digits;
    }

    private Path file(String name, long ageMillis) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.fromMillis(NOW - ageMillis));
        return file;
    }

    private long count() throws IOException {
        try (var left = Files.list(dir)) {
            return left.count();
        }
    }

    @Test
    void cachesAndFailureMarksUnusedForTwoWeeksGoAndTheRestAreKeptUpToTheBound() throws IOException {
        long old = AotCache.UNUSED.toMillis() + HOUR;
        file(key("a", 1) + ".aot", old);
        file(key("a", 2) + ".failed", old);
        file(key("a", 3) + ".failed", HOUR);
        file(key("a", 4) + ".lock", old); // the stale sweep's, not this one's
        file("app.aot", old); // a user's own cache in a shared directory
        file(key("a", 5) + ".aot.1234.tmp", old);
        for (int i = 0; i < 10; i++) {
            file(key("b", i) + ".aot", (i + 2) * HOUR);
        }
        List<String> removed = AotCache.Eviction.evict(dir, NOW);
        assertThat(removed).containsExactlyInAnyOrder(key("a", 1) + ".aot", key("a", 2) + ".failed");
        assertThat(dir.resolve(key("a", 3) + ".failed")).exists();
        assertThat(dir.resolve("app.aot")).as("not a name of ours").exists();
        assertThat(count()).isEqualTo(14);
        assertThat(AotCache.Eviction.evict(dir, NOW)).as("nothing more to remove").isEmpty();
    }

    @Test
    void beyondTheBoundTheLeastRecentlyUsedGo() throws IOException {
        int over = 5;
        for (int i = 0; i < AotCache.MAX_CACHES + over; i++) {
            file(key("d", i) + ".aot", (i + 2) * HOUR); // d0 the most recently used
        }
        List<String> removed = AotCache.Eviction.evict(dir, NOW);
        assertThat(removed).hasSize(over);
        for (int i = AotCache.MAX_CACHES; i < AotCache.MAX_CACHES + over; i++) {
            assertThat(removed).contains(key("d", i) + ".aot");
        }
        assertThat(count()).isEqualTo(AotCache.MAX_CACHES);

        // thousands of new caches, a training at each: the directory never holds more than the bound + 1
        for (int k = 0; k < 2_000; k++) {
            Files.setLastModifiedTime(file(key("e", k) + ".aot", 0), FileTime.fromMillis(NOW + k * HOUR));
            AotCache.Eviction.evict(dir, NOW + k * HOUR + 2 * HOUR);
            assertThat(count()).isLessThanOrEqualTo(AotCache.MAX_CACHES + 1);
        }
    }

    @Test
    void noCacheUsedWithinTheHourGoesEvenBeyondTheBound() throws IOException {
        int busy = AotCache.MAX_CACHES + 4; // more programs running than the bound
        for (int i = 0; i < busy; i++) {
            file(key("f", i) + ".aot", i * 60_000L);
        }
        file(key("f", 999) + ".aot", 3 * HOUR);
        assertThat(AotCache.Eviction.evict(dir, NOW)).containsExactly(key("f", 999) + ".aot");
        assertThat(count()).isEqualTo(busy);
    }

    @Test
    void aLaunchMarksItsCacheUsedAndMarksItAgainOnlyAfterHalfAnHour() throws IOException {
        AotCache aot = new AotCache(dir);
        Path cache = file(key("c", 1) + ".aot", 0);
        long before = System.currentTimeMillis() - 3 * 24 * HOUR;
        Files.setLastModifiedTime(cache, FileTime.fromMillis(before));
        assertThat(aot.use(cache)).contains("-XX:AOTCache=" + cache);
        long marked = Files.getLastModifiedTime(cache).toMillis();
        assertThat(marked).as("its last use: now").isGreaterThan(before + 2 * 24 * HOUR);
        Files.setLastModifiedTime(cache, FileTime.fromMillis(before));
        assertThat(aot.use(cache)).contains("-XX:AOTCache=" + cache);
        assertThat(Files.getLastModifiedTime(cache).toMillis()).as("not at every launch").isEqualTo(before);
    }

    @Test
    void onlyKeysAreOurs() {
        assertThat(AotCache.Eviction.isOurs(key("", 0xabc) + ".aot", ".aot")).isTrue();
        assertThat(AotCache.Eviction.isOurs("app.aot", ".aot")).isFalse();
        assertThat(AotCache.Eviction.isOurs("g".repeat(32) + ".aot", ".aot")).isFalse();
        assertThat(AotCache.Eviction.isOurs(key("", 1) + ".aot.77.tmp", ".aot")).isFalse();
    }
}
