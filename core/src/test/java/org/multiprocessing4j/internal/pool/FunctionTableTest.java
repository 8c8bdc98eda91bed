package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;

/** How definitions travel: a lambda that captures nothing as its shape, anything else serialized. */
class FunctionTableTest {
    record Doubler() implements SerializableFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            return 2 * x;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLambdaThatCapturesNothingTravelsAsItsShapeAndIsBuiltWithoutAStream() throws Exception {
        SerializableCallable<Integer> one = () -> 1;
        byte[] bytes = FunctionTable.serialize(one, one);
        assertThat(bytes[0]).isEqualTo(FunctionTable.SHAPE);
        assertThat(FunctionTable.serialize(one, one)).as("computed once per class").isSameAs(bytes);
        assertThat(((Callable<Integer>) FunctionTable.read(bytes)).call()).isEqualTo(1);

        SerializableFunction<Integer, Integer> plusOne = x -> x + 1;
        assertThat(((SerializableFunction<Integer, Integer>) FunctionTable.read(FunctionTable.serialize(plusOne, plusOne)))
                .apply(41)).isEqualTo(42);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aClassTravelsSerialized() throws Exception {
        byte[] bytes = FunctionTable.serialize(new Doubler(), "task");
        assertThat(bytes[0]).isEqualTo((byte) 0xAC); // a JDK object stream
        assertThat(((SerializableFunction<Integer, Integer>) FunctionTable.read(bytes)).apply(21)).isEqualTo(42);
    }
}
