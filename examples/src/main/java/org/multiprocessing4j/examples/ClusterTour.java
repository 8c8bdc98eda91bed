package org.multiprocessing4j.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.multiprocessing4j.ClusterConfig;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * The seeds' pool program ({@link PoolMap}) and producer/consumer program ({@link QueueProducerConsumer})
 * on a cluster, unchanged but for the line that makes the context: it starts 3 members on loopback
 * ({@code mp4j worker}'s class, each a child JVM of this one), connects to them as a driver with
 * {@code Multiprocessing.cluster(...)}, runs both programs on that context, shows which member and
 * which worker pid ran each task of a map, and stops the members (SIGTERM: each leaves gracefully).
 * It needs the module {@code multiprocessing4j-hazelcast} on the class path (the {@code mp4j} command has it).
 */
public final class ClusterTour {
    private static final String MEMBER_CLASS = "org.multiprocessing4j.hazelcast.ClusterMember";
    private static final int MEMBERS = 3;

    private ClusterTour() {}

    /** Which worker ran a task, and the member (its parent) that worker belongs to. */
    record Ran(int task, long worker, long member) implements Serializable {}

    public static void main(String[] args) throws Exception {
        System.out.println("main: pid=" + Work.pid() + ", starting " + MEMBERS + " cluster members on loopback");
        Path dir = Files.createTempDirectory("mp4j-tour-cluster");
        Path key = dir.resolve("authkey");
        Files.writeString(key, HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32)));
        String clusterName = "tour-" + Work.pid();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            addresses.add("127.0.0.1:" + freePort());
        }
        List<Process> members = new ArrayList<>();
        Map<Long, String> memberByPid = new TreeMap<>();
        try {
            List<CompletableFuture<Void>> listening = new ArrayList<>();
            for (String address : addresses) {
                Process member = startMember(clusterName, address, addresses, key);
                members.add(member);
                memberByPid.put(member.pid(), address);
                listening.add(echo(member, address));
            }
            for (CompletableFuture<Void> l : listening) {
                l.get(120, TimeUnit.SECONDS);
            }
            System.out.println("main: members " + memberByPid + " (pid=address)");

            // The one line that differs from the programs' own main: the context.
            Context ctx = Multiprocessing.cluster(ClusterConfig.builder().clusterName(clusterName)
                    .members(addresses.toArray(String[]::new)).authkeyFile(key).build());
            try {
                System.out.println();
                System.out.println("== pool-map on the cluster (PoolMap.run(ctx)) ==");
                PoolMap.run(ctx);

                System.out.println();
                System.out.println("== which member and worker ran each task: a pool of " + MEMBERS + " ==");
                try (ProcessPool pool = ctx.pool(MEMBERS)) {
                    List<Ran> ran = pool.map(x -> new Ran(x, Work.pid(), Work.ppid()), IntStream.range(0, 6).boxed().toList(), 1);
                    for (Ran r : ran) {
                        System.out.println("task " + r.task() + ": worker pid " + r.worker() + " on member "
                                + memberByPid.getOrDefault(r.member(), "?") + " (pid " + r.member() + ")");
                    }
                }

                System.out.println();
                System.out.println("== queue-producer-consumer on the cluster (QueueProducerConsumer.run(ctx)) ==");
                QueueProducerConsumer.run(ctx);
            } finally {
                if (ctx instanceof AutoCloseable c) {
                    c.close();
                }
            }
        } finally {
            for (Process m : members) {
                m.destroy(); // SIGTERM: a graceful leave
            }
            for (Process m : members) {
                if (!m.waitFor(60, TimeUnit.SECONDS)) {
                    m.destroyForcibly();
                }
            }
            Files.deleteIfExists(key);
            Files.deleteIfExists(dir);
        }
        System.out.println("main: the " + MEMBERS + " members left the cluster and ended");
    }

    private static Process startMember(String clusterName, String address, List<String> addresses, Path key)
            throws IOException {
        String port = address.substring(address.indexOf(':') + 1);
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Dmp4j.aot=false",
                "-Dmp4j.cluster.exitWithParent=true", "-cp", System.getProperty("java.class.path"), MEMBER_CLASS,
                "--cluster", clusterName, "--members", String.join(",", addresses), "--port", port,
                "--authkey-file", key.toString(), "--processes", "1")
                .redirectErrorStream(true).start();
    }

    /** Shows a member's own lines (not its JVM's warnings); completes once it listens. */
    private static CompletableFuture<Void> echo(Process member, String address) {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("member-" + address).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("mp4j worker:")) {
                        System.out.println("[member " + address + "] " + line);
                    }
                    if (line.contains("listening on")) {
                        listening.complete(null);
                    }
                    if (!listening.isDone() && (line.contains("Exception") || line.startsWith("Error"))) {
                        System.out.println("[member " + address + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the member ended
            }
            listening.completeExceptionally(new IllegalStateException("the member " + address
                    + " ended before it listened (is multiprocessing4j-hazelcast on the class path?)"));
        });
        return listening;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
