package org.multiprocessing4j.hazelcast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ClusterConfig;

/**
 * Members on loopback for a bench or a demonstration: each {@link ClusterMember} (what {@code mp4j worker}
 * runs) in a child JVM of this one, on a free port, with a fresh random authkey in a temporary file.
 * They end with this JVM ({@code -Dmp4j.cluster.exitWithParent}); {@link #close()} stops them with
 * SIGTERM (a graceful leave). Not for production: a real cluster's members are started by its operator.
 */
public final class LoopbackCluster implements AutoCloseable {
    private final String clusterName = "loopback-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final Path dir;
    private final Path keyFile;
    private final int processesEach;
    private final List<String> planned = new ArrayList<>();
    private final List<Process> members = new ArrayList<>();

    /**
     * Plans {@code capacity} members (their ports) and starts the first {@code start} of them.
     *
     * @param processesEach pool workers each member offers
     */
    public LoopbackCluster(int capacity, int start, int processesEach) throws IOException, InterruptedException {
        if (capacity < 1 || start < 1 || start > capacity) {
            throw new IllegalArgumentException("1 ≤ start ≤ capacity needed, were " + start + " and " + capacity);
        }
        this.processesEach = processesEach;
        dir = Files.createTempDirectory("mp4j-loopback");
        keyFile = dir.resolve("authkey");
        Files.writeString(keyFile, HexFormat.of().formatHex(org.multiprocessing4j.spi.SealedFrames.newKey()));
        for (int i = 0; i < capacity; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                planned.add("127.0.0.1:" + s.getLocalPort());
            }
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < start; i++) {
            ready.add(startNext());
        }
        await(ready);
    }

    /** Starts the next planned member; returns once it listens. */
    public void addMember() throws InterruptedException {
        if (members.size() == planned.size()) {
            throw new IllegalStateException("all " + planned.size() + " planned members run");
        }
        await(List.of(startNext()));
    }

    private CompletableFuture<Void> startNext() {
        String address = planned.get(members.size());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Dmp4j.aot=false",
                "-Dmp4j.cluster.exitWithParent=true", "-cp", System.getProperty("java.class.path"),
                ClusterMember.class.getName(), "--cluster", clusterName, "--members", String.join(",", planned),
                "--port", address.substring(address.indexOf(':') + 1), "--authkey-file", keyFile.toString(),
                "--processes", Integer.toString(processesEach)));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a member", e);
        }
        members.add(p);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("loopback-member-" + address).start(() -> {
            StringBuilder early = new StringBuilder();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!listening.isDone() && early.length() < 4096) {
                        early.append(line).append('\n');
                    }
                    if (line.contains("listening on")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                // the member ended
            }
            listening.completeExceptionally(new IllegalStateException("the member " + address
                    + " ended before it listened:\n" + early));
        });
        return listening;
    }

    private static void await(List<CompletableFuture<Void>> ready) throws InterruptedException {
        for (CompletableFuture<Void> r : ready) {
            try {
                r.get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a member did not listen within 120 s", e);
            }
        }
    }

    /** What a driver connects with: the cluster's name, every planned member, the key file. */
    public ClusterConfig config() {
        return ClusterConfig.builder().clusterName(clusterName).members(planned.toArray(String[]::new))
                .authkeyFile(keyFile).build();
    }

    /** The members running, in the order they were started. */
    public List<Process> members() {
        return List.copyOf(members);
    }

    /** Stops every member with SIGTERM (a graceful leave), SIGKILL after 60 s; deletes the key. */
    @Override
    public void close() throws IOException, InterruptedException {
        members.forEach(Process::destroy);
        for (Process p : members) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        Files.deleteIfExists(keyFile);
        Files.deleteIfExists(dir);
    }
}
