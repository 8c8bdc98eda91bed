package org.multiprocessing4j.hazelcast;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Waiting for a file another process writes (its content complete: written to a temporary name, then moved). */
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
        Thread.sleep(50); // written by one small write; let it land
    }
}
