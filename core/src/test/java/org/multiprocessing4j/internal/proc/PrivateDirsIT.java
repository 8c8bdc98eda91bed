package org.multiprocessing4j.internal.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessTestSupport;

/**
 * The pools' and managers' directories that a killed JVM left behind are removed by the next JVM's first
 * such directory, on a thread of its own; a live JVM's are kept, and so is anything not named after a pid.
 */
class PrivateDirsIT extends ProcessTestSupport {
    @ParameterizedTest
    @ValueSource(strings = {"pool", "manager"})
    void aJvmsFirstDirectoryRemovesThoseOfDeadJvmsAndKeepsTheLiveOnes(String first) throws Exception {
        // a temporary directory of the test's own: no other JVM's first directory sweeps it meanwhile
        Path tmp = Files.createTempDirectory("mp4j-test-tmp");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stalePool = Files.createDirectory(tmp.resolve("mp4j-" + gone.pid() + "-pool-left-" + first));
        Files.writeString(stalePool.resolve("pool-1.sock"), "");
        Path staleManager = Files.createDirectory(tmp.resolve("mp4j-" + gone.pid() + "-manager-left-" + first));
        Path live = Files.createDirectory(tmp.resolve("mp4j-" + ProcessHandle.current().pid() + "-still-" + first));
        Path notOurs = Files.createDirectory(tmp.resolve("mp4j-bench-" + gone.pid() + "-" + first));
        // a JVM of another pid namespace: its pid is not running here, its socket has a listener
        Path otherNamespace = Files.createDirectory(tmp.resolve("mp4j-" + gone.pid() + "-pool-elsewhere-" + first));
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(otherNamespace.resolve("pool-1.sock")));
            ChildProcess child = Multiprocessing.local()
                    .process(first.equals("pool") ? PrivateDirsIT::createAPool : PrivateDirsIT::createAManager)
                    .jvmOptions("-Djava.io.tmpdir=" + tmp).start();
            child.join();
            assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            assertThat(stalePool).as("a dead JVM's pool directory").doesNotExist();
            assertThat(staleManager).as("a dead JVM's manager directory").doesNotExist();
            assertThat(live).as("a live JVM's directory").exists();
            assertThat(notOurs).as("a name without a pid").exists();
            assertThat(otherNamespace).as("a directory whose socket has a listener").exists();
        } finally {
            deleteTree(tmp);
        }
    }

    @org.junit.jupiter.api.Test
    void aDirectoryIsNamedAfterThisJvmsPidAndOnlyThisUserMayEnterIt() throws IOException {
        Path dir = PrivateDirs.create("probe");
        try {
            assertThat(dir.getFileName().toString()).startsWith("mp4j-" + ProcessHandle.current().pid() + "-probe");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            Sweeper.TREE.remove(dir);
        }
    }

    /** A new JVM's first pool, and the sweep beside it (waited for: the JVM may end first). */
    private static void createAPool() {
        try (ProcessPool pool = Multiprocessing.local().pool(1)) {
            pool.apply(() -> 1);
        }
        awaitSweep();
    }

    /** A new JVM's first manager, and the sweep beside it. */
    private static void createAManager() {
        try (Manager manager = Multiprocessing.local().manager()) {
            manager.dict().put("k", 1);
        }
        awaitSweep();
    }

    private static void awaitSweep() {
        try {
            PrivateDirs.awaitSweep();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
