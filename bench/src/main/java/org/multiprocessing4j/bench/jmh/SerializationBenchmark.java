package org.multiprocessing4j.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.wire.Serializer;
import org.multiprocessing4j.internal.wire.Serializers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The core's serializer (JDK serialization with its {@code ObjectInputFilter}) on a launch payload. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerializationBenchmark {
    private final Serializer jdk = Serializers.get();
    private LaunchPayload payload;
    private byte[] bytes;

    @Setup
    public void setUp() throws IOException {
        payload = LaunchPayload.typical();
        bytes = jdk.serialize(payload);
    }

    @Benchmark
    public byte[] jdkSerialize() throws IOException {
        return jdk.serialize(payload);
    }

    @Benchmark
    public Object jdkDeserialize() throws IOException, ClassNotFoundException {
        return jdk.deserialize(bytes);
    }

    @Benchmark
    public Object jdkRoundTrip() throws IOException, ClassNotFoundException {
        return jdk.deserialize(jdk.serialize(payload));
    }
}
