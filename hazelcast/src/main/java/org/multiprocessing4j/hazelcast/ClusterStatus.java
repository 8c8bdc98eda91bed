package org.multiprocessing4j.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.multiprocessing4j.hazelcast.Commands.MemberStatus;
import org.multiprocessing4j.hazelcast.Commands.Outcome;
import org.multiprocessing4j.hazelcast.Commands.PoolStatus;
import org.multiprocessing4j.hazelcast.Commands.ProcessStatus;

/**
 * What {@code mp4j cluster status} shows: the cluster's members (address, pid, pool workers offered,
 * the machine's load), each member's worker processes (the pools and processes of its drivers) and
 * the cluster's queues with their sizes. It connects as a client for the moment it takes. Without the
 * authkey it shows members and queues only: a member answers questions about its processes only to a
 * party with the key.
 */
public final class ClusterStatus {
    private ClusterStatus() {}

    /**
     * Connects to {@code members} of cluster {@code clusterName}, prints the status to {@code out}, leaves.
     *
     * @param authkeyFile the cluster's authkey file, or null (then no member is asked about its processes)
     */
    public static void print(String clusterName, List<String> members, Path authkeyFile, PrintStream out) {
        byte[] key = null;
        if (authkeyFile != null) {
            try {
                key = ClusterNode.readKey(authkeyFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the authkey file " + authkeyFile, e);
            }
        }
        HazelcastInstance hz = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(clusterName, members));
        try {
            print(hz, clusterName, key == null ? null : new ClusterNode(hz, new ClusterRef(clusterName, members), key), out);
        } finally {
            hz.shutdown();
        }
    }

    static void print(HazelcastInstance hz, String clusterName, ClusterNode node, PrintStream out) {
        List<Member> members = new ArrayList<>(hz.getCluster().getMembers());
        out.printf(Locale.ROOT, "cluster %s: %d member(s)%n", clusterName, members.size());
        out.printf(Locale.ROOT, "%-22s %8s %9s %6s %5s %7s %7s%n", "MEMBER", "PID", "PROCESSES", "LOAD", "CPUS", "TASKS",
                "CLIENTS");
        List<String> details = new ArrayList<>();
        for (Member m : members) {
            String address = m.getAddress().getHost() + ":" + m.getAddress().getPort();
            String offered = m.getAttribute("mp4j.processes");
            Object answer = node == null ? null : ask(hz, node, m);
            if (!(answer instanceof MemberStatus status)) {
                out.printf(Locale.ROOT, "%-22s %8d %9s %6s %5s %7s %7s%n", address, Remote.pid(m),
                        offered == null ? "?" : offered, "?", "?", "?", "?");
                if (answer != null) {
                    details.add("  " + address + " did not answer: " + answer);
                }
                continue;
            }
            out.printf(Locale.ROOT, "%-22s %8d %9d %6.2f %5d %7d %7d%n", address, status.pid(), status.processesOffered(),
                    status.loadAverage(), status.cpus(), status.runningTasks(), status.clients());
            for (PoolStatus p : status.pools()) {
                details.add(String.format(Locale.ROOT, "  %-22s %s of driver %s: %d worker(s), pids %s", address, p.pool(),
                        p.owner(), p.processes(), Arrays.stream(p.workerPids()).mapToObj(Long::toString)
                                .collect(Collectors.joining(" "))));
            }
            for (ProcessStatus p : status.processes()) {
                details.add(String.format(Locale.ROOT, "  %-22s %s of driver %s: pid %d, %s", address, p.id(), p.owner(),
                        p.pid(), p.alive() ? "alive" : "ended"));
            }
        }
        out.println();
        if (node == null) {
            out.println("worker processes: not shown (a member tells them only to a party with the cluster's "
                    + "authkey: --authkey-file)");
        } else {
            out.println(details.isEmpty() ? "worker processes: none" : "worker processes:");
            details.forEach(out::println);
        }
        out.println();
        List<IQueue<?>> queues = new ArrayList<>();
        for (DistributedObject o : hz.getDistributedObjects()) {
            if (o instanceof IQueue<?> q) {
                queues.add(q);
            }
        }
        queues.sort(Comparator.comparing(DistributedObject::getName));
        out.println(queues.isEmpty() ? "queues: none" : "queues:");
        for (IQueue<?> q : queues) {
            out.printf(Locale.ROOT, "  %-60s %8d%n", q.getName(), q.size());
        }
        out.flush();
    }

    /** The member's status, or what went wrong asking it. */
    private static Object ask(HazelcastInstance hz, ClusterNode node, Member m) {
        try {
            byte[] answer = hz.getExecutorService(HazelcastConfigs.EXECUTOR)
                    .submitToMember(new SealedCall(node.seal(new Commands.Status())), m).get(30, TimeUnit.SECONDS);
            Outcome o = (Outcome) node.open(answer);
            return o.error() != null ? o.error().toString() : o.value();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.util.concurrent.ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (Exception e) {
            return e.toString();
        }
    }
}
