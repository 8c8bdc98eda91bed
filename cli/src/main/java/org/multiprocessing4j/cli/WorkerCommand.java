package org.multiprocessing4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.hazelcast.ClusterMember;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mp4j worker}: a member of an mp4j cluster (Hazelcast). Prints where it listens and the members
 * it sees; SIGTERM or Ctrl-C leaves the cluster gracefully (its data migrates to the others first).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run a cluster member: it holds the cluster's queues, maps and locks and runs drivers' "
                + "tasks and processes in child JVMs.",
                "Drivers connect with Multiprocessing.cluster(ClusterConfig...). Binds 127.0.0.1 unless --bind: "
                + "a cluster off loopback belongs on a private network (docs/cluster.md)."})
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--cluster", paramLabel = "NAME", required = true, description = "The cluster's name.")
    String cluster;

    @Option(names = "--members", paramLabel = "HOST:PORT", split = ",",
            description = "Members to join (TCP-IP; this one's own address may be among them).")
    List<String> members = List.of();

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "5701", description = "The port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--authkey-file", paramLabel = "FILE", required = true,
            description = "The cluster's authkey: this file's bytes (a final newline ignored), at least 16. Keep it private.")
    Path authkeyFile;

    @Option(names = "--processes", paramLabel = "N", description = "Pool workers this member offers (default: its CPUs).")
    Integer processes;

    @Override
    public Integer call() throws InterruptedException {
        int n = processes != null ? processes : Multiprocessing.cpuCount();
        ClusterMember.run(new ClusterMember.Options(cluster, members, bind, port, authkeyFile, n), System.out);
        return 0;
    }
}
