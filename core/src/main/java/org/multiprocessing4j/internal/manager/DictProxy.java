package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The proxy of a manager's {@code dict()}: every method runs on the server's {@code ConcurrentHashMap}
 * (so {@code compute}, {@code merge} … are atomic there, and their functions must be serializable),
 * except {@code forEach}, which runs here over a snapshot. {@code keySet}, {@code values} and
 * {@code entrySet} are copies.
 */
@SuppressWarnings("unchecked")
final class DictProxy<K, V> extends ContainerProxy implements ConcurrentMap<K, V> {
    @Serial
    private static final long serialVersionUID = 1L;

    DictProxy(Calls calls, String id) {
        super(calls, id);
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean) call("containsKey(java.lang.Object)", key);
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) call("containsValue(java.lang.Object)", value);
    }

    @Override
    public V get(Object key) {
        return (V) call("get(java.lang.Object)", key);
    }

    @Override
    public V put(K key, V value) {
        return (V) call("put(java.lang.Object,java.lang.Object)", key, value);
    }

    @Override
    public V remove(Object key) {
        return (V) call("remove(java.lang.Object)", key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        call("putAll(java.util.Map)", m);
    }

    @Override
    public Set<K> keySet() {
        return (Set<K>) call("keySet()");
    }

    @Override
    public Collection<V> values() {
        return (Collection<V>) call("values()");
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return (Set<Entry<K, V>>) call("entrySet()");
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return (V) call("getOrDefault(java.lang.Object,java.lang.Object)", key, defaultValue);
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (Entry<K, V> e : entrySet()) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        call("replaceAll(java.util.function.BiFunction)", function);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return (V) call("putIfAbsent(java.lang.Object,java.lang.Object)", key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return (Boolean) call("remove(java.lang.Object,java.lang.Object)", key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) call("replace(java.lang.Object,java.lang.Object,java.lang.Object)", key, oldValue, newValue);
    }

    @Override
    public V replace(K key, V value) {
        return (V) call("replace(java.lang.Object,java.lang.Object)", key, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        return (V) call("computeIfAbsent(java.lang.Object,java.util.function.Function)", key, mappingFunction);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return (V) call("computeIfPresent(java.lang.Object,java.util.function.BiFunction)", key, remappingFunction);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return (V) call("compute(java.lang.Object,java.util.function.BiFunction)", key, remappingFunction);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        return (V) call("merge(java.lang.Object,java.lang.Object,java.util.function.BiFunction)", key, value,
                remappingFunction);
    }
}
