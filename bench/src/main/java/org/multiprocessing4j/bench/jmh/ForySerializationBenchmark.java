package org.multiprocessing4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.multiprocessing4j.bench.serial.ForyCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Apache Fory on the same launch payload as {@link SerializationBenchmark}, configured as the core
 * would have to (no class registration: a user's lambda cannot be registered in advance). Needs Fory
 * on the class path ({@code bench/serialization.sh}); {@code mp4j bench --jmh} skips it otherwise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ForySerializationBenchmark {
    private Fory fory;
    private LaunchPayload payload;
    private byte[] bytes;

    @Setup
    public void setUp() {
        fory = ForyCodec.newFory();
        payload = LaunchPayload.typical();
        bytes = fory.serialize(payload);
    }

    @Benchmark
    public byte[] forySerialize() {
        return fory.serialize(payload);
    }

    @Benchmark
    public Object foryDeserialize() {
        return fory.deserialize(bytes);
    }

    @Benchmark
    public Object foryRoundTrip() {
        return fory.deserialize(fory.serialize(payload));
    }
}
