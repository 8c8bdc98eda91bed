package org.multiprocessing4j.hazelcast;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.SerializableSupplier;

/**
 * {@code manager()} on the cluster: there is no server process; the cluster is the server. {@code dict}
 * is an {@code IMap}, {@code list} an {@code IList}, {@code queue} an {@code IQueue} (all of frames),
 * the locks and semaphores those of the cluster context. Objects survive a member's death (one backup).
 * {@code register}/{@code create}: {@link ClusterObjects}. {@link #shutdown()} and
 * {@link #close()} free nothing: the objects live as long as the cluster.
 */
final class ClusterManager implements Manager {
    private final ClusterContext ctx;

    ClusterManager(ClusterContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public <K, V> ConcurrentMap<K, V> dict() {
        return new ClusterDict<>(ctx.node(), ClusterNode.newName("dict"));
    }

    @Override
    public <E> List<E> list() {
        return new ClusterList<>(ctx.node(), ClusterNode.newName("list"));
    }

    @Override
    public <E> BlockingQueue<E> queue() {
        return ctx.queue();
    }

    @Override
    public <E> BlockingQueue<E> queue(int maxsize) {
        return ctx.queue(maxsize);
    }

    @Override
    public ProcessLock lock() {
        return ctx.lock();
    }

    @Override
    public ProcessLock rlock() {
        return ctx.rlock();
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        return ctx.semaphore(permits);
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        return ctx.boundedSemaphore(permits);
    }

    @Override
    public ProcessEvent event() {
        return ctx.event();
    }

    @Override
    public <T> ManagedValue<T> value(T initial) {
        ClusterDict<String, Object> cell = new ClusterDict<>(ctx.node(), ClusterNode.newName("value"));
        Value<T> v = new Value<>(cell);
        v.set(initial);
        return v;
    }

    /** A value as one entry of a dict; {@code null} is a value (stored as a marker). */
    private record Value<T>(ClusterDict<String, Object> cell) implements ManagedValue<T>, Serializable {
        private static final String KEY = "value";

        private static Object box(Object v) {
            return v == null ? Null.NULL : v;
        }

        @SuppressWarnings("unchecked")
        private static <T> T unbox(Object v) {
            return v instanceof Null ? null : (T) v;
        }

        @Override
        public T get() {
            return unbox(cell.get(KEY));
        }

        @Override
        public void set(T value) {
            cell.put(KEY, box(value));
        }

        @Override
        public T getAndSet(T value) {
            return unbox(cell.put(KEY, box(value)));
        }

        @Override
        public boolean compareAndSet(T expected, T value) {
            while (true) {
                Object current = cell.get(KEY);
                if (!java.util.Objects.equals(unbox(current), expected)) {
                    return false;
                }
                if (cell.replace(KEY, current, box(value))) {
                    return true;
                }
            }
        }

        @Override
        public T updateAndGet(SerializableFunction<T, T> update) {
            while (true) {
                Object current = cell.get(KEY);
                T next = update.apply(unbox(current));
                if (cell.replace(KEY, current, box(next))) {
                    return next;
                }
            }
        }
    }

    private enum Null { NULL }

    @Override
    public Namespace namespace() {
        return new ClusterNamespace(new ClusterDict<>(ctx.node(), ClusterNode.newName("namespace")));
    }

    private record ClusterNamespace(ClusterDict<String, Object> attributes) implements Namespace, Serializable {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(String name) {
            Object v = attributes.get(name);
            if (v == null) {
                throw new NoSuchElementException("no attribute " + name);
            }
            return v instanceof Null ? null : (T) v;
        }

        @Override
        public void set(String name, Object value) {
            attributes.put(name, value == null ? Null.NULL : value);
        }

        @Override
        public boolean has(String name) {
            return attributes.containsKey(name);
        }

        @Override
        public void remove(String name) {
            attributes.remove(name);
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            attributes.forEach((k, v) -> copy.put(k, v instanceof Null ? null : v));
            return copy;
        }
    }

    @Override
    public <T> void register(String typeId, SerializableSupplier<? extends T> factory, Class<T> iface) {
        ClusterObjects.register(ctx.node(), typeId, factory, iface);
    }

    /** A new object of a registered type, its state an entry of the cluster (see {@link ClusterObjects}). */
    @Override
    public <T> T create(String typeId) {
        return ClusterObjects.create(ctx.node(), typeId);
    }

    /** The address of a member (the cluster has no single server). */
    @Override
    public SocketAddress address() {
        var member = ctx.node().hz.getCluster().getMembers().iterator().next();
        return new InetSocketAddress(member.getAddress().getHost(), member.getAddress().getPort());
    }

    /**
     * Detaches {@code proxy} in this process where it can be closed (queues, locks, semaphores,
     * events: later calls fail with {@code IllegalStateException}). The cluster keeps no reference
     * counts: the object itself lives as long as the cluster.
     */
    @Override
    public void release(Object proxy) {
        if (!(proxy instanceof ClusterDict<?, ?> || proxy instanceof ClusterList<?> || proxy instanceof ClusterQueue<?>
                || proxy instanceof StateObject || proxy instanceof ClusterLock || proxy instanceof Namespace
                || proxy instanceof ManagedValue<?>)) {
            throw new IllegalArgumentException("not a proxy of a cluster manager's object: " + proxy);
        }
        if (proxy instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void shutdown() {}

    @Override
    public void close() {}
}
