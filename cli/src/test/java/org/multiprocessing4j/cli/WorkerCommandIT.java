package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mp4j worker} in its own JVM: it says where it listens and its members, {@code mp4j cluster status}
 * (another JVM) lists it, and SIGTERM makes it leave and exit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerCommandIT {
    @TempDir
    Path dir;

    /** {@code mp4j cluster status ARGS} in its own JVM: its output (it must exit 0). */
    private static String clusterStatus(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dmp4j.aot=false", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "cluster", "status"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void aWorkerListensOnLoopbackPrintsItsMembersAndLeavesOnSigterm() throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "a cluster secret of 16+ bytes\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "worker", "--cluster", "cli-test-" + ProcessHandle.current().pid(),
                "--members", "127.0.0.1:" + port, "--port", Integer.toString(port),
                "--authkey-file", keyFile.toString(), "--processes", "1")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).contains("listening on 127.0.0.1:" + port).contains("pid " + worker.pid());
            assertThat(out.readLine()).isEqualTo("mp4j worker: members [127.0.0.1:" + port + "]");
            String status = clusterStatus("--cluster", "cli-test-" + ProcessHandle.current().pid(),
                    "--members", "127.0.0.1:" + port, "--authkey-file", keyFile.toString());
            assertThat(status).contains("cluster cli-test-" + ProcessHandle.current().pid() + ": 1 member(s)")
                    .containsPattern("127\\.0\\.0\\.1:" + port + " +" + worker.pid() + " +1 ")
                    .contains("worker processes: none").contains("queues: none");
            String withoutKey = clusterStatus("--cluster", "cli-test-" + ProcessHandle.current().pid(),
                    "--members", "127.0.0.1:" + port);
            assertThat(withoutKey).containsPattern("127\\.0\\.0\\.1:" + port + " +" + worker.pid())
                    .contains("worker processes: not shown");
            worker.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            StringBuilder rest = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rest.toString()).contains("left the cluster");
        } finally {
            worker.destroyForcibly();
        }
    }
}
