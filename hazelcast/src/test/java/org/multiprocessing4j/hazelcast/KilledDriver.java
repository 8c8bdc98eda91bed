package org.multiprocessing4j.hazelcast;

import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.multiprocessing4j.ClusterConfig;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPool;

/**
 * A driver for {@code ClusterFaultIT} to kill: connects to the cluster, takes the lock it is given
 * (serialized in {@code DIR/lock.ser}), starts a pool of {@code N} workers on the members whose tasks
 * write their worker's pid to {@code DIR/worker-i} and then never end, writes {@code DIR/ready} and
 * waits to be killed. Arguments: {@code CLUSTER MEMBERS KEYFILE DIR N}.
 */
public final class KilledDriver {
    private KilledDriver() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[3]);
        int n = Integer.parseInt(args[4]);
        Context ctx = Multiprocessing.cluster(ClusterConfig.builder().clusterName(args[0])
                .members(args[1].split(",")).authkeyFile(Path.of(args[2])).build());
        ProcessLock lock;
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(dir.resolve("lock.ser")))) {
            lock = (ProcessLock) in.readObject();
        }
        lock.lock();
        ProcessPool pool = ctx.pool(n);
        for (int i = 0; i < n; i++) {
            String file = dir.resolve("worker-" + i).toString();
            pool.applyAsync(() -> parkForever(file));
        }
        Files.writeString(dir.resolve("ready"), Arrays.toString(args));
        Thread.sleep(Long.MAX_VALUE);
    }

    private static int parkForever(String file) throws Exception {
        ProcessTestFiles.write(Path.of(file), Long.toString(ProcessHandle.current().pid()));
        Thread.sleep(Long.MAX_VALUE);
        return 0;
    }
}
