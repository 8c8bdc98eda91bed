package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

/**
 * What {@link ConcurrentMap} promises, run on every implementation: a manager's proxy, and
 * {@code ConcurrentHashMap} to check the contract itself. Functions are serializable, as a manager needs.
 */
public abstract class ConcurrentMapContract {

    protected abstract ConcurrentMap<String, Integer> newMap();

    @Test
    void putGetRemoveAndSize() {
        ConcurrentMap<String, Integer> m = newMap();
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.put("a", 1)).isNull();
        assertThat(m.put("a", 2)).isEqualTo(1);
        m.put("b", 3);
        assertThat(m.get("a")).isEqualTo(2);
        assertThat(m.get("zz")).isNull();
        assertThat(m.getOrDefault("zz", 9)).isEqualTo(9);
        assertThat(m.containsKey("b")).isTrue();
        assertThat(m.containsValue(3)).isTrue();
        assertThat(m.containsValue(4)).isFalse();
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.remove("a")).isEqualTo(2);
        assertThat(m.remove("a")).isNull();
        assertThat(m).hasSize(1);
        m.clear();
        assertThat(m.isEmpty()).isTrue();
    }

    @Test
    void nullKeysAndValuesAreRefused() {
        ConcurrentMap<String, Integer> m = newMap();
        assertThatThrownBy(() -> m.put(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.put("a", null)).isInstanceOf(NullPointerException.class);
        assertThat(m).isEmpty();
    }

    @Test
    void conditionalWrites() {
        ConcurrentMap<String, Integer> m = newMap();
        assertThat(m.putIfAbsent("a", 1)).isNull();
        assertThat(m.putIfAbsent("a", 2)).isEqualTo(1);
        assertThat(m.remove("a", 2)).isFalse();
        assertThat(m.replace("a", 2, 3)).isFalse();
        assertThat(m.replace("a", 1, 3)).isTrue();
        assertThat(m.replace("a", 4)).isEqualTo(3);
        assertThat(m.replace("nope", 4)).isNull();
        assertThat(m.remove("a", 4)).isTrue();
        assertThat(m).isEmpty();
    }

    @Test
    void computeAndMergeWithSerializableFunctions() {
        ConcurrentMap<String, Integer> m = newMap();
        SerializableBiFunction<Integer, Integer, Integer> sum = Integer::sum;
        assertThat(m.merge("a", 1, sum)).isEqualTo(1);
        assertThat(m.merge("a", 5, sum)).isEqualTo(6);
        assertThat(m.compute("a", (SerializableBiFunction<String, Integer, Integer>) (k, v) -> v * 10)).isEqualTo(60);
        assertThat(m.compute("a", (SerializableBiFunction<String, Integer, Integer>) (k, v) -> null)).isNull();
        assertThat(m.containsKey("a")).isFalse();
        assertThat(m.computeIfAbsent("b", (SerializableFunction<String, Integer>) String::length)).isEqualTo(1);
        assertThat(m.computeIfAbsent("b", (SerializableFunction<String, Integer>) k -> 99)).isEqualTo(1);
        assertThat(m.computeIfPresent("b", (SerializableBiFunction<String, Integer, Integer>) (k, v) -> v + 1)).isEqualTo(2);
        assertThat(m.computeIfPresent("c", (SerializableBiFunction<String, Integer, Integer>) (k, v) -> 7)).isNull();
        m.put("c", 3);
        m.replaceAll((SerializableBiFunction<String, Integer, Integer>) (k, v) -> v * 2);
        assertThat(Map.copyOf(m)).isEqualTo(Map.of("b", 4, "c", 6));
    }

    @Test
    void viewsIterationAndBulkOperations() {
        ConcurrentMap<String, Integer> m = newMap();
        m.putAll(Map.of("a", 1, "b", 2, "c", 3));
        assertThat(m.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(m.values()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(m.entrySet()).containsExactlyInAnyOrder(new AbstractMap.SimpleEntry<>("a", 1),
                new AbstractMap.SimpleEntry<>("b", 2), new AbstractMap.SimpleEntry<>("c", 3));
        Map<String, Integer> seen = new HashMap<>();
        m.forEach(seen::put); // a plain lambda: it runs in the caller
        assertThat(seen).isEqualTo(Map.of("a", 1, "b", 2, "c", 3));
        assertThat(m).isEqualTo(Map.of("a", 1, "b", 2, "c", 3));
        assertThat(m.hashCode()).isEqualTo(Map.of("a", 1, "b", 2, "c", 3).hashCode());
        assertThat(m.toString()).contains("a=1");
    }
}
