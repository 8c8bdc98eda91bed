package org.multiprocessing4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.multiprocessing4j.hazelcast.ClusterStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mp4j cluster}: looks at an mp4j cluster (Hazelcast) from outside. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Look at an mp4j cluster.",
        subcommands = ClusterCommand.Status.class)
public final class ClusterCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code mp4j cluster status}: members, their worker processes, load, and the queues. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"List the cluster's members (pid, pool workers offered, load, tasks running, clients), "
                    + "their drivers' worker processes, and the queues with their sizes.",
                    "It connects as a client for a moment. Without --authkey-file it lists members and queues only."})
    static final class Status implements Callable<Integer> {
        @Option(names = "--members", paramLabel = "HOST:PORT", split = ",", required = true,
                description = "Members to reach the cluster by.")
        List<String> members;

        @Option(names = "--cluster", paramLabel = "NAME", defaultValue = "dev",
                description = "The cluster's name (default ${DEFAULT-VALUE}, Hazelcast's).")
        String cluster;

        @Option(names = "--authkey-file", paramLabel = "FILE",
                description = "The cluster's authkey: members tell their worker processes only to a party with it.")
        Path authkeyFile;

        @Override
        public Integer call() {
            ClusterStatus.print(cluster, members, authkeyFile, System.out);
            return 0;
        }
    }
}
