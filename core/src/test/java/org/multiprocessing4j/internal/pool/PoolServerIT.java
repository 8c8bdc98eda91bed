package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessTestSupport;

/**
 * The pools' socket directories that a killed JVM left behind are removed by the next JVM's first pool,
 * on a thread of its own; a live JVM's are kept.
 */
class PoolServerIT extends ProcessTestSupport {
    @Test
    void aJvmsFirstPoolRemovesTheDirectoriesOfDeadJvmsAndKeepsTheLiveOnes() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectory(tmp.resolve("mp4j-" + gone.pid() + "-left-behind"));
        Files.writeString(stale.resolve("pool-1.sock"), "");
        Path live = Files.createDirectory(tmp.resolve("mp4j-" + ProcessHandle.current().pid() + "-still-here"));
        try {
            ChildProcess child = Multiprocessing.local().process(PoolServerIT::createAPool)
                    .jvmOptions("-Djava.io.tmpdir=" + tmp).start();
            child.join();
            assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            assertThat(stale).as("a dead JVM's directory").doesNotExist();
            assertThat(live).as("a live JVM's directory").exists();
        } finally {
            Files.deleteIfExists(live);
            Files.deleteIfExists(stale.resolve("pool-1.sock"));
            Files.deleteIfExists(stale);
        }
    }

    /** A new JVM's first pool, and its sweep, which runs beside it (waited for: the JVM may end first). */
    private static void createAPool() {
        try (ProcessPool pool = Multiprocessing.local().pool(1)) {
            pool.apply(() -> 1);
        }
        try {
            PoolServer.awaitSweep();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
