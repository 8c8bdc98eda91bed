package org.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ClusterConfig;
import org.multiprocessing4j.Multiprocessing;

/**
 * A cluster of real members for a test class: each member ({@link ClusterMember#main}) in its own JVM,
 * a child of the test JVM started once per class, all in parallel, on loopback. The failure detector is
 * shortened to 4 s ({@code -Dmp4j.cluster.heartbeatTimeoutSeconds=4}) so that a member killed with
 * {@code kill -9} is declared dead within seconds. {@link #close()} ends only the members it started.
 */
public final class ClusterMembers implements AutoCloseable {
    public static final int HEARTBEAT_TIMEOUT_SECONDS = 4;
    public final String clusterName = "mp4j-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    public final Path keyFile;
    /** The key file's directory, removed with it on close. */
    private final Path dir;
    public final List<Process> members = new ArrayList<>();
    public final List<String> addresses = new ArrayList<>();
    /** Every line each member printed, by member index. */
    private final List<List<String>> output = new ArrayList<>();
    private final byte[] key;
    private ClusterContext driver;

    public ClusterMembers(int count, int processesEach) throws Exception {
        System.setProperty("mp4j.cluster.heartbeatTimeoutSeconds", Integer.toString(HEARTBEAT_TIMEOUT_SECONDS));
        dir = Files.createTempDirectory("mp4j-cluster");
        keyFile = dir.resolve("authkey");
        // Text (hex), as a key file usually is: a final newline of the file is not part of the key, so a
        // random binary key ending in '\n' would differ between the file's readers and this JVM.
        key = java.util.HexFormat.of().formatHex(org.multiprocessing4j.spi.SealedFrames.newKey())
                .getBytes(StandardCharsets.US_ASCII);
        try {
            start(count, processesEach);
        } catch (Throwable t) { // a member that did not start or listen: end the others, remove the directory
            try {
                close();
            } catch (Exception e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private void start(int count, int processesEach) throws Exception {
        Files.write(keyFile, key);
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0.1:" + freePort());
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String address : addresses) {
            int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
            List<String> command = java(ClusterMember.class.getName());
            command.addAll(List.of("--cluster", clusterName, "--members", String.join(",", addresses),
                    "--port", Integer.toString(port), "--authkey-file", keyFile.toString(),
                    "--processes", Integer.toString(processesEach)));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            members.add(p);
            CompletableFuture<Void> listening = new CompletableFuture<>();
            ready.add(listening);
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            output.add(lines);
            Thread.ofPlatform().daemon().name("member-out-" + port).start(() -> pump(p, port, listening, lines));
        }
        for (CompletableFuture<Void> r : ready) {
            r.get(120, TimeUnit.SECONDS);
        }
    }

    /** The command line of a JVM like this one's (its class path, the options Hazelcast wants) running {@code mainClass}. */
    public static List<String> java(String mainClass) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dmp4j.aot=false", "-Dmp4j.cluster.exitWithParent=true",
                "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-Dmp4j.cluster.heartbeatTimeoutSeconds=" + HEARTBEAT_TIMEOUT_SECONDS,
                mainClass));
    }

    /** Waits until member {@code i} has printed a line that contains {@code text}; returns it. */
    public String awaitOutput(int i, String text) throws InterruptedException {
        List<String> lines = output.get(i);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            synchronized (lines) {
                for (String line : lines) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("member " + i + " did not print '" + text + "' within 120 s");
            }
            Thread.sleep(20);
        }
    }

    private static void pump(Process p, int port, CompletableFuture<Void> listening, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println("[member " + port + "] " + line);
                lines.add(line);
                if (line.contains("listening on")) {
                    listening.complete(null);
                }
            }
        } catch (IOException e) {
            // the member ended
        }
        listening.completeExceptionally(new IllegalStateException("member " + port + " ended before it listened"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public ClusterConfig config() {
        return ClusterConfig.builder().clusterName(clusterName).members(addresses.toArray(String[]::new))
                .authkeyFile(keyFile).build();
    }

    /** The driver's context, connected once; waits until it sees every live member. */
    public synchronized ClusterContext driver() throws InterruptedException {
        if (driver == null) {
            driver = (ClusterContext) Multiprocessing.cluster(config());
        }
        awaitMembers((int) members.stream().filter(Process::isAlive).count());
        return driver;
    }

    /** Waits (on membership events) until the driver sees {@code n} members. */
    public void awaitMembers(int n) throws InterruptedException {
        var cluster = driver.node().hz.getCluster();
        CountDownLatch changed = new CountDownLatch(1);
        var id = cluster.addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                changed.countDown();
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                changed.countDown();
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cluster.getMembers().size() != n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the driver sees " + cluster.getMembers() + ", not " + n + " members");
                }
                changed.await(200, TimeUnit.MILLISECONDS);
            }
        } finally {
            cluster.removeMembershipListener(id);
        }
    }

    /** SIGKILL to member {@code i}, a child of this JVM. */
    public void kill9(int i) throws InterruptedException {
        Process p = members.get(i);
        p.destroyForcibly();
        p.waitFor();
    }

    @Override
    public void close() throws Exception {
        try {
            if (driver != null) {
                driver.close();
            }
        } finally {
            for (Process p : members) {
                p.destroy(); // SIGTERM: a graceful leave
            }
            for (Process p : members) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(dir);
        }
    }

    public byte[] key() {
        return key.clone();
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
