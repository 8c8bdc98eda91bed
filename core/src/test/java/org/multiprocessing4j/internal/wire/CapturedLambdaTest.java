package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableCallable;

/** A capturing lambda taken apart into its shape and values, and rebuilt from them (in one JVM). */
class CapturedLambdaTest {
    record Pair(int a, String b) implements Serializable {}

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializableCallable<T> task) throws Throwable {
        SerializedLambda parts = CapturedLambda.takeApart(task);
        assertThat(parts).as("a capturing lambda is taken apart").isNotNull();
        CapturedLambda.Shape shape = CapturedLambda.Shape.decode(CapturedLambda.shape(parts));
        return ((Callable<T>) shape.instantiate(CapturedLambda.values(parts))).call();
    }

    @Test
    void rawAndSerializedCapturedValuesComeBack() throws Throwable {
        int k = 41;
        String s = "s";
        byte[] bytes = {7};
        assertThat(roundTrip(() -> k + 1 + s + bytes[0])).isEqualTo("42s7");
        Pair p = new Pair(1, "x");
        List<Pair> list = List.of(p);
        assertThat(roundTrip(() -> list.get(0).equals(p) ? p.b() + k : "no")).isEqualTo("x41");
    }

    /**
     * Handles beside raw values are written as their serial forms' fields (tag HANDLES, no object stream)
     * and read back attached to the same shared memory; a handle beside another object goes in the one
     * serialized list, as before.
     */
    @Test
    void capturedHandlesTravelAsTheirFieldsUnlessAnotherObjectIsCaptured() throws Throwable {
        try (org.multiprocessing4j.SharedLong counter = org.multiprocessing4j.Multiprocessing.local().sharedLong(5)) {
            int step = 2;
            SerializableCallable<Long> withHandle = () -> counter.addAndGet(step);
            SerializedLambda parts = CapturedLambda.takeApart(withHandle);
            assertThat(CapturedLambda.capturesHandles(parts)).isTrue();
            assertThat(CapturedLambda.capturesRawValues(parts)).isFalse();
            assertThat(CapturedLambda.values(parts)[0]).isEqualTo(ValueCodec.HANDLES);
            assertThat(roundTrip(withHandle)).isEqualTo(7L);
            assertThat(counter.get()).as("the rebuilt lambda's counter is the same shared memory").isEqualTo(7L);

            List<String> list = List.of("x");
            SerializableCallable<Long> withList = () -> counter.addAndGet(list.size());
            SerializedLambda listParts = CapturedLambda.takeApart(withList);
            assertThat(CapturedLambda.capturesHandles(listParts)).isFalse();
            assertThat(CapturedLambda.values(listParts)[0]).isEqualTo(ValueCodec.SERIALIZED);
            assertThat(roundTrip(withList)).isEqualTo(8L);
        }
    }

    @Test
    void aLambdaWithoutCapturedValuesOrAClassIsNotTakenApart() {
        SerializableCallable<Integer> none = () -> 1;
        assertThat(CapturedLambda.takeApart(none)).isNull();
        assertThat(CapturedLambda.takeApart(new Object())).isNull();
    }

    @Test
    void corruptValuesAreRefusedWithAnIOException() {
        // an array of values (tag 21) announcing 9 values in 1 byte
        assertThat(catchThrowable(() -> CapturedLambda.decodeValues(new byte[] {21, 0, 0, 0, 9, 2})))
                .isInstanceOf(IOException.class);
        // one value, a byte array (tag 8) announcing 2^31 - 1 bytes
        assertThat(catchThrowable(() -> CapturedLambda.decodeValues(new byte[] {21, 0, 0, 0, 1, 8, 127, -1, -1, -1})))
                .isInstanceOf(IOException.class);
        assertThat(catchThrowable(() -> CapturedLambda.decodeValues(new byte[0]))).isInstanceOf(IOException.class);
    }

    @Test
    void aCorruptShapeIsRefusedWithAnIOException() {
        // the capturing class's name: a Latin-1 string (tag 9) announcing 2^31 - 1 chars
        assertThat(catchThrowable(() -> CapturedLambda.Shape.decode(new byte[] {9, 127, -1, -1, -1, 'a'})))
                .isInstanceOf(IOException.class);
        assertThat(catchThrowable(() -> CapturedLambda.Shape.decode(new byte[0]))).isInstanceOf(IOException.class);
    }
}
