package org.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A member of an mp4j cluster ({@code mp4j worker}): joins the cluster, holds its share of the data and
 * runs drivers' tasks and processes in child JVMs of its own. Binds to 127.0.0.1 unless told otherwise;
 * SIGTERM or Ctrl-C leaves gracefully (its partitions migrate first).
 */
public final class ClusterMember {

    /** What {@code mp4j worker} is given. {@code processes} is how many pool workers this member offers. */
    public record Options(String clusterName, List<String> members, String bind, int port, Path authkeyFile,
            int processes) {
        public Options {
            Objects.requireNonNull(clusterName, "clusterName");
            Objects.requireNonNull(authkeyFile, "authkeyFile");
            members = List.copyOf(members);
            bind = bind == null ? "127.0.0.1" : bind;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be ≥ 1, was " + processes);
            }
        }
    }

    private ClusterMember() {}

    /** Starts a member; returns once it has joined (the caller keeps the JVM alive). */
    public static HazelcastInstance start(Options options, PrintStream out) {
        byte[] key;
        try {
            key = ClusterNode.readKey(options.authkeyFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the authkey file " + options.authkeyFile(), e);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("the authkey in " + options.authkeyFile() + " has " + key.length
                    + " bytes; at least 16 are needed");
        }
        var config = HazelcastConfigs.member(options.clusterName(), options.bind(), options.port(), options.members());
        config.getMemberAttributeConfig().setAttribute("mp4j.processes", Integer.toString(options.processes()));
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        ClusterNode node = new ClusterNode(hz, new ClusterRef(options.clusterName(), options.members()), key);
        MemberRuntime runtime = MemberRuntime.start(node, options.authkeyFile().toAbsolutePath());
        Member local = hz.getCluster().getLocalMember();
        OutputRouter.install(hz, "member " + local.getAddress().getHost() + ":" + local.getAddress().getPort());
        hz.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                runtime.stop();
            } else if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                // Printed here, by the shutdown hook's thread: after SIGTERM nothing else may run.
                out.println("mp4j worker: left the cluster");
                out.flush();
            }
        });
        Member self = hz.getCluster().getLocalMember();
        out.println("mp4j worker: cluster " + options.clusterName() + ", listening on " + self.getAddress().getHost()
                + ":" + self.getAddress().getPort() + ", pid " + ProcessHandle.current().pid() + ", "
                + options.processes() + " processes");
        out.println("mp4j worker: members " + addresses(hz.getCluster().getMembers()));
        out.flush();
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                out.println("mp4j worker: joined " + event.getMember().getAddress() + "; members "
                        + addresses(event.getMembers()));
                out.flush();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                out.println("mp4j worker: left " + event.getMember().getAddress() + "; members "
                        + addresses(event.getMembers()));
                out.flush();
            }
        });
        return hz;
    }

    /** Runs a member until it is shut down (SIGTERM, Ctrl-C). */
    public static void run(Options options, PrintStream out) throws InterruptedException {
        HazelcastInstance hz = start(options, out);
        CountDownLatch ended = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                ended.countDown();
            }
        });
        if (!hz.getLifecycleService().isRunning()) {
            return;
        }
        ended.await();
    }

    static List<String> addresses(java.util.Collection<Member> members) {
        List<String> list = new ArrayList<>();
        for (Member m : members) {
            list.add(m.getAddress().getHost() + ":" + m.getAddress().getPort());
        }
        return list;
    }

    /**
     * {@code --cluster NAME --members H:P,… [--bind ADDR] [--port N] --authkey-file F [--processes N]}:
     * what {@code mp4j worker} takes, for starting a member without the CLI (tests, scripts).
     */
    public static void main(String[] args) throws InterruptedException {
        String cluster = null;
        List<String> members = List.of();
        String bind = "127.0.0.1";
        int port = 5701;
        Path keyFile = null;
        int processes = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--cluster" -> cluster = value;
                case "--members" -> members = Arrays.stream(value.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
                case "--bind" -> bind = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--authkey-file" -> keyFile = Path.of(value);
                case "--processes" -> processes = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (Boolean.getBoolean("mp4j.cluster.exitWithParent")) {
            // For members that a test or the tour starts: end when the parent does (its end of stdin closes).
            Thread.ofPlatform().daemon().name("mp4j-parent-watch").start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // nothing is sent
                    }
                } catch (java.io.IOException ignored) {
                    // the parent is gone
                }
                Runtime.getRuntime().halt(137);
            });
        }
        run(new Options(cluster, members, bind, port, keyFile, processes), System.out);
    }
}
