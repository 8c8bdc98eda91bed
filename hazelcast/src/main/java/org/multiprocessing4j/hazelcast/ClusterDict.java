package org.multiprocessing4j.hazelcast;

import com.hazelcast.map.IMap;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code manager().dict()} on the cluster: an {@code IMap} whose keys and values are authenticated
 * frames (keys compare by their serialized form, as Hazelcast's keys always do). Single-key operations
 * are atomic on the partition owner; {@code compute}/{@code merge} are {@link ConcurrentMap}'s
 * compare-and-set loops in the caller. Views are snapshots, as a local manager's are. Serializable: a
 * task that captures it uses the same map.
 */
final class ClusterDict<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable {
    private static final long serialVersionUID = 1L;
    private final NodeRef nodeRef;
    private final String name;

    ClusterDict(ClusterNode node, String name) {
        this.nodeRef = new NodeRef(node);
        this.name = name;
    }

    private ClusterNode node() {
        return nodeRef.get();
    }

    private IMap<byte[], byte[]> map() {
        return node().hz.getMap(name);
    }

    private byte[] seal(Object o) {
        return node().seal(Objects.requireNonNull(o));
    }

    @SuppressWarnings("unchecked")
    private V value(byte[] frame) {
        return frame == null ? null : (V) node().open(frame);
    }

    @Override
    public V get(Object key) {
        return value(map().get(seal(key)));
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(seal(key));
    }

    @Override
    public V put(K key, V value) {
        return value(map().put(seal(key), seal(value)));
    }

    @Override
    public V remove(Object key) {
        return value(map().remove(seal(key)));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return value(map().putIfAbsent(seal(key), seal(value)));
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key);
        if (value == null) {
            return false;
        }
        return map().remove(seal(key), seal(value));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue);
        return map().replace(seal(key), seal(oldValue), seal(newValue));
    }

    @Override
    public V replace(K key, V value) {
        return value(map().replace(seal(key), seal(value)));
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public boolean isEmpty() {
        return map().isEmpty();
    }

    @Override
    public void clear() {
        map().clear();
    }

    /** A snapshot. */
    @Override
    @SuppressWarnings("unchecked")
    public Set<Entry<K, V>> entrySet() {
        Map<K, V> copy = new LinkedHashMap<>();
        for (Map.Entry<byte[], byte[]> e : map().entrySet()) {
            copy.put((K) node().open(e.getKey()), value(e.getValue()));
        }
        return copy.entrySet();
    }
}
