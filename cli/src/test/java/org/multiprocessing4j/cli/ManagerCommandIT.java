package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.Manager;

/** {@code mp4j manager serve} in its own JVM, used from this one through {@link Manager#connect}. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ManagerCommandIT {
    @TempDir
    Path dir;

    @Test
    void aStandaloneManagerServesClientsOfAnotherProcessUntilShutDown() throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "a shared secret\n");
        byte[] key = "a shared secret".getBytes(StandardCharsets.UTF_8);
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "manager", "serve", "--address", "127.0.0.1:0", "--authkey-file", keyFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(first).startsWith("listening on 127.0.0.1:");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            InetSocketAddress where = new InetSocketAddress("127.0.0.1", port);
            assertThatThrownBy(() -> Manager.connect(where, "not the key".getBytes()))
                    .isInstanceOf(AuthenticationException.class);
            try (Manager manager = Manager.connect(where, key)) {
                ConcurrentMap<String, List<Integer>> d = manager.dict();
                d.put("primes", List.of(2, 3, 5));
                assertThat(d.get("primes")).containsExactly(2, 3, 5);
                Lock lock = manager.lock();
                assertThat(lock.tryLock()).isTrue();
                lock.unlock();
                manager.shutdown();
            }
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server ends at shutdown").isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
        }
    }

    private Process serve(Path keyFile, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "manager", "serve", "--address", "127.0.0.1:0", "--authkey-file", keyFile.toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static InetSocketAddress listening(Process server) throws Exception {
        String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).startsWith("listening on 127.0.0.1:");
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)));
    }

    @Test
    void aStandaloneManagerBuildsOnlyTheClassesItIsToldOf() throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "another secret");
        byte[] key = "another secret".getBytes(StandardCharsets.UTF_8);
        Process strict = serve(keyFile);
        Process allowing = serve(keyFile, "--allow", "com.example.mp4j.*");
        try {
            try (Manager manager = Manager.connect(listening(strict), key)) {
                ConcurrentMap<String, Object> d = manager.dict();
                d.put("jdk values", List.of(1, "two", 3.0));
                assertThatThrownBy(() -> d.put("user class", new com.example.mp4j.Point(1, 2)))
                        .hasStackTraceContaining("could not read the call");
                assertThat(d.get("jdk values")).isEqualTo(List.of(1, "two", 3.0));
                manager.shutdown();
            }
            try (Manager manager = Manager.connect(listening(allowing), key)) {
                ConcurrentMap<String, Object> d = manager.dict();
                d.put("user class", new com.example.mp4j.Point(1, 2));
                assertThat(d.get("user class")).isEqualTo(new com.example.mp4j.Point(1, 2));
                manager.shutdown();
            }
            assertThat(strict.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(allowing.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            strict.destroyForcibly();
            allowing.destroyForcibly();
        }
    }
}
