package org.multiprocessing4j.internal.launch.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * The training's rehearsal of a launch message holding the library's objects: every object read back
 * works, and, run many times over, it leaves no segment behind (what it created is closed; what it read
 * back is released by the cleaners, as in a child that drops its target, hence the collections here).
 */
class HandlesRehearsalTest {
    @Test
    void everyObjectReadBackWorksAndNoSegmentIsLeft() throws IOException {
        Set<String> before = segments();
        for (int i = 0; i < 50; i++) {
            assertThat(HandlesRehearsal.run()).as("run " + i).isTrue();
        }
        System.gc(); // what was read back is released by its cleaner, as in a child that drops its target
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<String> left;
        while (!(left = leftSince(before)).isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(left).as("segments this JVM created and never removed").isEmpty();
    }

    private static Set<String> leftSince(Set<String> before) throws IOException {
        Set<String> now = segments();
        now.removeAll(before);
        return now;
    }

    private static Set<String> segments() throws IOException {
        try (Stream<Path> files = Files.list(Segments.directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
        }
    }
}
