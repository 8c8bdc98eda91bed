package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectStreamException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tiny messages built to exhaust the receiver (memory, stack, processor) are refused, each as a
 * clean exception for that message; ordinary graphs of the same shapes still pass.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileMessagesTest {
    private final Serializer serializer = Serializers.get();

    @Test
    void anIntArrayLongerThanItsMessageIsRefused() {
        byte[] attack = Attacks.intArray(1 << 30);
        assertThat(attack).hasSize(27);
        long before = Attacks.allocatedBytes();
        assertThatThrownBy(() -> serializer.deserialize(attack)).isInstanceOf(ObjectStreamException.class);
        assertThat(Attacks.allocatedBytes() - before).as("bytes allocated reading it").isLessThan(16L << 20);
    }

    @Test
    void aLongArrayLongerThanItsMessageIsRefused() {
        assertThatThrownBy(() -> serializer.deserialize(Attacks.longArray(1 << 30)))
                .isInstanceOf(ObjectStreamException.class);
    }

    @Test
    void aHashMapWhoseSizeLiesIsRefusedBeforeItsTableIsAllocated() {
        byte[] attack = Attacks.hashMapOfSize(1 << 30);
        long before = Attacks.allocatedBytes();
        assertThatThrownBy(() -> serializer.deserialize(attack)).isInstanceOf(ObjectStreamException.class);
        assertThat(Attacks.allocatedBytes() - before).as("bytes allocated reading it").isLessThan(16L << 20);
    }

    @Test
    void arraysNestedTenThousandDeepAreRefused() {
        byte[] attack = Attacks.nestedArrays(10_000);
        assertThatThrownBy(() -> serializer.deserialize(attack)).isInstanceOf(ObjectStreamException.class);
    }

    @Test
    void arraysNestedFifteenHundredDeepAreRefusedOnAFreshThread() throws Exception {
        byte[] attack = Attacks.nestedArrays(1_500);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                serializer.deserialize(attack);
                refused.complete(null);
            } catch (Throwable t) {
                refused.complete(t);
            }
        });
        assertThat(refused.get()).isInstanceOf(ObjectStreamException.class);
    }

    @Test
    void aGraphTooDeepForASmallStackIsRefusedNotAStackOverflow() throws Exception {
        byte[] deep = Attacks.nestedArrays(SerialFilter.MAX_DEPTH - 10); // within the filter's limit
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        new Thread(null, () -> {
            try {
                serializer.deserialize(deep);
                refused.complete(null);
            } catch (Throwable t) {
                refused.complete(t);
            }
        }, "small-stack", 64 << 10).start();
        assertThat(refused.get()).isInstanceOf(ObjectStreamException.class).hasMessageContaining("stack");
    }

    @Test
    void aGraphAsDeepAsTheFilterAllowsIsReadOnAReceiversStack() throws Exception {
        byte[] deep = Attacks.nestedArrays(SerialFilter.MAX_DEPTH - 10);
        CompletableFuture<Object> read = new CompletableFuture<>();
        new Thread(null, () -> {
            try {
                read.complete(serializer.deserialize(deep));
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        }, "receiver", SerialFilter.RECEIVER_STACK).start();
        assertThat(read.get()).isInstanceOf(Object[].class);
    }

    @Test
    void aHashSetBombIsRefused() {
        byte[] attack = Attacks.hashSetBomb(100);
        assertThat(attack.length).isLessThan(10_000);
        assertThatThrownBy(() -> serializer.deserialize(attack)).isInstanceOf(ObjectStreamException.class);
    }

    @Test
    void aConcurrentHashMapBombIsRefused() {
        Map<Object, Object> root = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Object, Object> s1 = root;
        Map<Object, Object> s2 = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 100; i++) {
            Map<Object, Object> t1 = new java.util.concurrent.ConcurrentHashMap<>();
            Map<Object, Object> t2 = new java.util.concurrent.ConcurrentHashMap<>();
            t1.put("x", "x");
            s1.put(t1, 1);
            s1.put(t2, 1);
            s2.put(t1, 1);
            s2.put(t2, 1);
            s1 = t1;
            s2 = t2;
        }
        byte[] attack = Attacks.serialize(root);
        assertThatThrownBy(() -> serializer.deserialize(attack)).isInstanceOf(ObjectStreamException.class);
    }

    @Test
    void ordinaryGraphsOfTheSameShapesPass() throws Exception {
        int[] ints = new int[100_000];
        ints[99_999] = 7;
        assertThat((int[]) serializer.deserialize(serializer.serialize(ints))).isEqualTo(ints);

        Map<String, Object> nested = new HashMap<>();
        Map<String, Object> current = nested;
        for (int i = 0; i < SerialFilter.MAX_HASH_NESTING - 1; i++) {
            Map<String, Object> next = new HashMap<>();
            current.put("level" + i, next);
            current.put("sibling" + i, new HashMap<>(Map.of("a", 1)));
            current = next;
        }
        assertThat(serializer.deserialize(serializer.serialize(nested))).isEqualTo(nested);

        List<Map<String, Integer>> manyMaps = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            manyMaps.add(new HashMap<>(Map.of("k" + i, i)));
        }
        assertThat(serializer.deserialize(serializer.serialize(manyMaps))).isEqualTo(manyMaps);

        List<Integer> shared = new ArrayList<>();
        Integer one = 1_000_000;
        for (int i = 0; i < 100_000; i++) {
            shared.add(one); // back references: five bytes each
        }
        assertThat(serializer.deserialize(serializer.serialize(shared))).isEqualTo(shared);
    }
}
