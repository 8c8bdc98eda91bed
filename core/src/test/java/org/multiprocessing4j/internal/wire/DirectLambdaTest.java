package org.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.invoke.SerializedLambda;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SerializableRunnable;

/**
 * Which targets a child runs by calling their method ({@link DirectLambda}), and that running them so
 * does what the lambda would (in one JVM; {@code ChildProcessIT} runs them in children).
 */
class DirectLambdaTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final IOException CHECKED = new IOException("checked, thrown as it is");

    static void countRun() {
        RUNS.incrementAndGet();
    }

    static void throwChecked() {
        throw DirectLambdaTest.<RuntimeException>sneaky(CHECKED);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private static Runnable direct(SerializableRunnable target) throws Exception {
        SerializedLambda parts = CapturedLambda.partsOf(target);
        assertThat(parts).as("a serializable lambda is taken apart").isNotNull();
        return DirectLambda.runnable(CapturedLambda.shape(parts), CapturedLambda.values(parts));
    }

    @Test
    void aLambdaThatCapturesNothingIsRunByCallingItsMethod() throws Exception {
        int before = RUNS.get();
        Runnable lambda = direct(() -> countRun());
        Runnable reference = direct(DirectLambdaTest::countRun);
        assertThat(lambda).isInstanceOf(DirectLambda.class);
        assertThat(reference).isInstanceOf(DirectLambda.class);
        lambda.run();
        reference.run();
        reference.run();
        assertThat(RUNS.get() - before).isEqualTo(3);
    }

    private static final StringBuilder SEEN = new StringBuilder();

    static void see(String text) {
        SEEN.append(text).append(';');
    }

    static void seeBytes(byte[] bytes) {
        SEEN.append(bytes == null ? "null" : bytes.length + " bytes").append(';');
    }

    @Test
    void aLambdaThatCapturesOneStringOrByteArrayIsRunByCallingItsMethodWithIt() throws Exception {
        String text = "captured";
        byte[] bytes = {1, 2, 3};
        String none = null;
        byte[] noBytes = null;
        Runnable ofText = direct(() -> see(text));
        Runnable ofBytes = direct(() -> seeBytes(bytes));
        Runnable ofNull = direct(() -> see(none));
        Runnable ofNoBytes = direct(() -> seeBytes(noBytes));
        assertThat(List.of(ofText, ofBytes, ofNull, ofNoBytes)).allMatch(DirectLambda.class::isInstance);
        SEEN.setLength(0);
        ofText.run();
        ofBytes.run();
        ofNull.run();
        ofNoBytes.run();
        ofText.run();
        assertThat(SEEN).hasToString("captured;3 bytes;null;null;captured;");
    }

    @Test
    void whatTheMethodThrowsIsThrownAsItIs() throws Exception {
        IllegalStateException unchecked = new IllegalStateException("boom");
        SerializableRunnable throwing = () -> {
            throw unchecked;
        };
        // that one captures the exception: it is rebuilt, not called; a lambda of its own creates one
        assertThat(direct(throwing)).isNull();
        Runnable fresh = direct(() -> {
            throw new IllegalStateException("boom here");
        });
        assertThat(catchThrowable(fresh::run)).isInstanceOf(IllegalStateException.class).hasMessage("boom here");
        assertThat(catchThrowable(direct(DirectLambdaTest::throwChecked)::run)).isSameAs(CHECKED);
    }

    @Test
    void everyOtherShapeIsLeftToBeRebuilt() throws Exception {
        String text = "captured";
        int number = 3;
        assertThat(direct(() -> RUNS.addAndGet(text.length() + number))).as("captured values").isNull();
        assertThat(direct(() -> see(text + number))).as("two captured values, one argument").isNull();
        assertThat(direct(() -> RUNS.addAndGet(number))).as("one captured number").isNull();
        List<String> list = List.of(text);
        assertThat(direct(() -> see(list.get(0)))).as("one captured list").isNull();
        assertThat(direct(text::length)).as("a bound receiver").isNull();
        assertThat(direct(Object::new)).as("a constructor").isNull();
        assertThat(direct(System::nanoTime)).as("a result").isNull();
    }

    @Test
    void aMessageNamingAnotherClassesMethodForACapturedValueIsLeftToBeRebuilt() throws Exception {
        // what no compiler makes (a static method with a captured value is a lambda's body in its own
        // class), forged: the rebuild's $deserializeLambda$ refuses it, a direct call must not make it
        String capturing = DirectLambdaTest.class.getName().replace('.', '/');
        byte[] values = ValueArrays.encode(new Object[] {"libc"});
        assertThat(DirectLambda.runnable(shape(capturing, "java/lang/System", "loadLibrary"), values))
                .as("another class's method").isNull();
        assertThat(DirectLambda.runnable(shape(capturing, capturing, "see"), values))
                .as("a method of the class that is not a lambda's body").isNull();
    }

    /** A one-string {@code SerializableRunnable}'s shape, as {@link CapturedLambda#shape} writes it. */
    private static byte[] shape(String capturing, String implClass, String implName) {
        return new ByteWriter(256).writeString(capturing).writeString("org/multiprocessing4j/SerializableRunnable")
                .writeString("run").writeString("()V").writeInt(java.lang.invoke.MethodHandleInfo.REF_invokeStatic)
                .writeString(implClass).writeString(implName).writeString("(Ljava/lang/String;)V").writeString("()V")
                .writeInt(1).toByteArray();
    }

    @Test
    void inAllowListModeEveryLambdaIsRebuilt() throws Exception {
        SerialFilter.allowOnly(List.of(DirectLambdaTest.class.getName()));
        try {
            assertThat(direct(DirectLambdaTest::countRun)).isNull();
        } finally {
            SerialFilter.allowAnyClass();
        }
        assertThat(direct(DirectLambdaTest::countRun)).isNotNull();
    }

    @Test
    void aMalformedShapeOrValuesWhereNoneAreCapturedAreRefused() throws Exception {
        SerializedLambda parts = CapturedLambda.partsOf((SerializableRunnable) DirectLambdaTest::countRun);
        byte[] shape = CapturedLambda.shape(parts);
        byte[] values = ValueArrays.encode(new Object[] {"one"});
        assertThat(catchThrowable(() -> DirectLambda.runnable(shape, values))).isInstanceOf(IOException.class);
        String text = "one";
        SerializedLambda ofText = CapturedLambda.partsOf((SerializableRunnable) () -> see(text));
        assertThat(catchThrowable(() -> DirectLambda.runnable(CapturedLambda.shape(ofText),
                ValueArrays.encode(new Object[] {new byte[1]}))))
                .as("a byte array where the method takes a string").isInstanceOf(IOException.class);
        assertThat(catchThrowable(() -> DirectLambda.runnable(CapturedLambda.shape(ofText), CapturedLambda.noValues())))
                .as("no value where one is captured").isInstanceOf(IOException.class);
        byte[] cut = java.util.Arrays.copyOf(shape, shape.length - 1);
        assertThat(catchThrowable(() -> DirectLambda.runnable(cut, CapturedLambda.noValues())))
                .isInstanceOf(IOException.class);
    }
}
