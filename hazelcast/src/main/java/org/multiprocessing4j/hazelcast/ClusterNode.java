package org.multiprocessing4j.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.spi.SealedFrames;

/**
 * This JVM's way into one cluster: a Hazelcast instance (the driver's client, a member, or a client a
 * member's child process connected lazily) and the cluster's authkey. Proxies that arrive serialized
 * find it by {@link ClusterRef}: the node registered in this JVM, or else a client connected with the
 * key file a member gave its children ({@code -Dmp4j.cluster.authkeyFile}).
 */
final class ClusterNode {
    static final String KEY_FILE_PROPERTY = "mp4j.cluster.authkeyFile";
    private static final Map<String, ClusterNode> NODES = new ConcurrentHashMap<>();

    final HazelcastInstance hz;
    final ClusterRef ref;
    private final byte[] key;
    private final Map<String, Changes> changes = new ConcurrentHashMap<>();

    ClusterNode(HazelcastInstance hz, ClusterRef ref, byte[] key) {
        this.hz = hz;
        this.ref = ref;
        this.key = key.clone();
    }

    static void register(ClusterNode node) {
        NODES.put(node.ref.clusterName(), node);
    }

    static void unregister(ClusterNode node) {
        NODES.remove(node.ref.clusterName(), node);
    }

    /** The node of {@code ref}'s cluster in this JVM, connecting a client if there is none. */
    static ClusterNode of(ClusterRef ref) {
        ClusterNode node = NODES.get(ref.clusterName());
        if (node != null && node.hz.getLifecycleService().isRunning()) {
            return node;
        }
        synchronized (NODES) {
            node = NODES.get(ref.clusterName());
            if (node != null && node.hz.getLifecycleService().isRunning()) {
                return node;
            }
            String keyFile = System.getProperty(KEY_FILE_PROPERTY);
            if (keyFile == null) {
                throw new IllegalStateException("this process has no way into the cluster " + ref.clusterName()
                        + ": connect with Multiprocessing.cluster(...) first (or run it on a member, which gives "
                        + "its children -D" + KEY_FILE_PROPERTY + ")");
            }
            byte[] key;
            try {
                key = readKey(Path.of(keyFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster's authkey file " + keyFile, e);
            }
            HazelcastInstance client = HazelcastClient.newHazelcastClient(
                    HazelcastConfigs.client(ref.clusterName(), ref.members()));
            node = new ClusterNode(client, ref, key);
            register(node);
            leaveWhenIdle(node);
            return node;
        }
    }

    /** An authkey file's bytes, a final newline ignored. */
    static byte[] readKey(Path file) throws IOException {
        byte[] key = Files.readAllBytes(file);
        int length = key.length;
        while (length > 0 && (key[length - 1] == '\n' || key[length - 1] == '\r')) {
            length--;
        }
        return java.util.Arrays.copyOf(key, length);
    }

    /**
     * A client connected lazily (in a member's child JVM) must not keep its JVM alive: Hazelcast's
     * threads are not daemons. Once no thread but Hazelcast's (and the JVM's own) is left, it leaves the
     * cluster, and the JVM can end as it would have without it. The watcher joins the threads it waits
     * for, so the client leaves the moment the last of them ends (the target's return, usually): a
     * child's exit, and so its parent's {@code join}, is not held up by a polling period.
     */
    private static void leaveWhenIdle(ClusterNode node) {
        Thread.ofPlatform().daemon().name("mp4j-cluster-idle").start(() -> {
            try {
                while (node.hz.getLifecycleService().isRunning()) {
                    Thread busy = userThread();
                    if (busy == null) {
                        unregister(node);
                        node.hz.shutdown();
                        return;
                    }
                    busy.join(); // a thread it started before it ended is found by the next look
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A live thread that keeps the JVM alive and is neither Hazelcast's nor the JVM's own; null if none. */
    static Thread userThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isDaemon() && t.isAlive() && !t.getName().startsWith("hz.") && !t.getName().equals("DestroyJavaVM")) {
                return t;
            }
        }
        return null;
    }

    byte[] seal(Object o) {
        return SealedFrames.seal(key, o);
    }

    Object open(byte[] frame) {
        return SealedFrames.open(key, frame);
    }

    /** A frame of a body made of several values ({@link CallCodec}). */
    byte[] sealBytes(byte[] body) {
        return SealedFrames.sealBytes(key, body);
    }

    /** The checked body of {@code frame}. @throws org.multiprocessing4j.AuthenticationException if its MAC does not match */
    byte[] openBytes(byte[] frame) {
        return SealedFrames.openBytes(key, frame);
    }

    /** This process's identity in the cluster (its client's or member's UUID). */
    UUID localUuid() {
        return hz.getLocalEndpoint().getUuid();
    }

    IMap<String, long[]> state() {
        return hz.getMap(HazelcastConfigs.STATE_MAP);
    }

    /** Creates a state entry; {@code name} is fresh. */
    void create(String name, long[] initial) {
        state().set(name, initial);
    }

    long[] op(String name, int op, int index, long a, long b) {
        return quietly(() -> state().executeOnKey(name, new StateOp(op, index, a, b)));
    }

    /**
     * Runs a Hazelcast call that must not fail on an interrupt (Hazelcast's client throws when the
     * calling thread is interrupted while it waits for the answer): with the interrupt status cleared,
     * again if an interrupt comes during the call; the status is set again afterwards. Interruptible
     * waits are this backend's own, around such calls.
     */
    static <T> T quietly(java.util.function.Supplier<T> call) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return call.get();
                } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof InterruptedException)) {
                        throw e;
                    }
                    interrupted = true;
                    Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void quietly(Runnable call) {
        quietly(() -> {
            call.run();
            return null;
        });
    }

    long[] op(String name, int op) {
        return op(name, op, 0, 0, 0);
    }

    static String newName(String kind) {
        return kind + "." + UUID.randomUUID();
    }

    /** Wake-ups for the state entry {@code name}: a listener on its key, registered once. */
    Changes changes(String name) {
        return changes.computeIfAbsent(name, n -> {
            Changes c = new Changes();
            c.registration = quietly(() -> state().addEntryListener(c, n, false));
            return c;
        });
    }

    void forget(String name) {
        Changes c = changes.remove(name);
        if (c != null) {
            try {
                state().removeEntryListener(c.registration);
            } catch (RuntimeException ignored) {
                // the cluster is gone
            }
        }
    }

    /**
     * A version counter bumped by every change of one entry: a waiter reads the version, checks the
     * state, and waits for a newer version (no missed wake-up). Waits are also capped, so that a lost
     * event (a member's death) costs a re-check, never a hang.
     */
    static final class Changes implements EntryAddedListener<String, long[]>, EntryUpdatedListener<String, long[]>,
            EntryRemovedListener<String, long[]> {
        private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
        private long version; // guarded by this
        UUID registration;

        synchronized long version() {
            return version;
        }

        /** Waits until the version passes {@code seen}, or {@code nanos} pass, at most a re-check period. */
        synchronized void await(long seen, long nanos) throws InterruptedException {
            long wait = Math.min(nanos, RECHECK_NANOS);
            long deadline = System.nanoTime() + wait;
            while (version == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        private synchronized void bump() {
            version++;
            notifyAll();
        }

        @Override
        public void entryAdded(EntryEvent<String, long[]> event) {
            bump();
        }

        @Override
        public void entryUpdated(EntryEvent<String, long[]> event) {
            bump();
        }

        @Override
        public void entryRemoved(EntryEvent<String, long[]> event) {
            bump();
        }
    }
}
