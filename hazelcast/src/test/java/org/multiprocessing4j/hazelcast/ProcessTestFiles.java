package org.multiprocessing4j.hazelcast;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Files between processes of a test: written whole ({@link #write}), awaited ({@link #await}). */
final class ProcessTestFiles {
    private ProcessTestFiles() {}

    static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(file + " did not appear");
            }
            Thread.sleep(20);
        }
    }

    /** Writes {@code text} to {@code file} whole: to a temporary name, then moved, so a reader never sees part of it. */
    static void write(Path file, String text) throws java.io.IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
