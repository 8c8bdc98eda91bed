package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.SharedLongArray;

/**
 * 1 MiB byte arrays one way through a pipe: the Java side of {@code bench/python/pipe_bytes.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pipe(false)} (the first end
 * receives, the second sends); the parent sends, one child process, started once, receives. Rounds
 * 0 … {@code --n}, round 0 the warm-up, untimed. Per round the parent {@code sendBytes} a 1 MiB
 * {@code byte[]} {@code --count} times (default 256); the child {@code recvBytes} each, checks its
 * length, and after the round's last records the time ({@code System.nanoTime}, CLOCK_MONOTONIC,
 * comparable across processes). The round's time: that − the parent's time before its first send.
 * Reports {@code throughput_gb_per_s} (count × 2^20 bytes ÷ time ÷ 10^9) and the time in ms.
 */
public final class PipeBytesWorkload {
    static final int MIB = 1 << 20;

    private PipeBytesWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 256);
        int rounds = run.n + 1;
        byte[] payload = new byte[MIB];
        for (int i = 0; i < MIB; i++) {
            payload[i] = (byte) i;
        }
        List<Double> gbPerSecond = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        Pipe pipe = run.ctx.pipe(false);
        Connection rx = pipe.first();
        Connection tx = pipe.second();
        try (SharedLongArray ends = run.ctx.sharedLongArray(rounds)) {
            ChildProcess child = run.ctx.process(() -> receive(rx, ends, count, rounds)).start();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    tx.sendBytes(payload);
                }
                long t1;
                while ((t1 = ends.get(r)) == 0) {
                    WorkloadMain.check(child.isAlive() || ends.get(r) != 0, "the receiver exited early");
                    LockSupport.parkNanos(50_000);
                }
                if (r > 0) {
                    double seconds = (t1 - t0) / 1e9;
                    gbPerSecond.add((double) count * MIB / seconds / 1e9);
                    millis.add(seconds * 1e3);
                }
            }
            child.join();
            WorkloadMain.check(child.exitCode().orElse(-1) == 0, "the receiver exited with " + child.exitCode());
        }
        tx.close();
        Map<String, Object> out = run.header("pipe_bytes");
        out.put("count", count);
        out.put("bytes", MIB);
        WorkloadMain.series(out, "throughput", Row.Unit.GB_PER_S, gbPerSecond);
        WorkloadMain.series(out, "time", Row.Unit.MS, millis);
        WorkloadMain.emit(out);
    }

    static void receive(Connection rx, SharedLongArray ends, int count, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < count; i++) {
                byte[] b = rx.recvBytes();
                WorkloadMain.check(b.length == MIB, "a message of " + b.length + " bytes");
            }
            ends.set(r, System.nanoTime());
        }
        rx.close();
    }
}
