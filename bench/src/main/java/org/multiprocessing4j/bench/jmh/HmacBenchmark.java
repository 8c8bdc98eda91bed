package org.multiprocessing4j.bench.jmh;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.multiprocessing4j.internal.wire.Hmac;
import org.multiprocessing4j.internal.wire.Serializers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The core's HMAC-SHA256 over {@code MessageDigest} against {@code javax.crypto.Mac}, on the bytes
 * of a launch payload: per call as the frame code uses it (a new instance), and {@code Mac} reused.
 * Steady state only; the reason the core avoids {@code Mac} is its cold cost (the SunJCE provider),
 * which {@code serial.ColdStart} measures in fresh JVMs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HmacBenchmark {
    private byte[] key;
    private byte[] message;
    private Mac reused;

    @Setup
    public void setUp() throws IOException, GeneralSecurityException {
        key = Hmac.newKey();
        message = Serializers.get().serialize(LaunchPayload.typical());
        reused = Mac.getInstance("HmacSHA256");
        reused.init(new SecretKeySpec(key, "HmacSHA256"));
    }

    @Benchmark
    public byte[] ours() {
        return Hmac.sha256(key, message);
    }

    @Benchmark
    public byte[] jcaMacNewInstance() throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Benchmark
    public byte[] jcaMacReused() {
        return reused.doFinal(message);
    }
}
