package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableFunction;

class JavaSerializerTest {
    private final Serializer serializer = Serializers.get();

    record Point(int x, String label) implements Serializable {}

    @Test
    void recordsRoundTrip() throws Exception {
        assertThat(serializer.deserialize(serializer.serialize(new Point(3, "p")))).isEqualTo(new Point(3, "p"));
    }

    @Test
    void lambdasWithCapturesRoundTrip() throws Exception {
        int offset = 10;
        SerializableFunction<Integer, Integer> add = x -> x + offset;
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> copy =
                (SerializableFunction<Integer, Integer>) serializer.deserialize(serializer.serialize(add));
        assertThat(copy.apply(5)).isEqualTo(15);
    }

    @Test
    void anUnserializableCaptureIsNamed() {
        Object notSerializable = new Object();
        SerializableFunction<Integer, String> fn = x -> notSerializable.toString();
        assertThatThrownBy(() -> serializer.serialize(fn))
                .isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void theFilterBoundsTheDepthOfAGraph() throws Exception {
        List<Object> deep = new ArrayList<>();
        List<Object> current = deep;
        for (int i = 0; i < 5000; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        byte[] bytes;
        try {
            bytes = serializer.serialize(deep);
        } catch (StackOverflowError e) {
            return; // the writer could not even produce it: nothing to filter
        }
        assertThatThrownBy(() -> serializer.deserialize(bytes)).isInstanceOf(InvalidClassException.class);
    }

    @Test
    void theFilterRejectsDeniedClasses() throws Exception {
        byte[] bytes = serializer.serialize(new javax.management.Attribute("a", 1));
        assertThatThrownBy(() -> serializer.deserialize(bytes))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("REJECTED");
    }
}
