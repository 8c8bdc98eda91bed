package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;

/**
 * Round trips through a duplex pipe to a child that echoes: the Java side of
 * {@code bench/python/pipe_round_trip.py}.
 *
 * <p>Shape (keep in step with the script's docstring): {@code ctx.pipe(true)}; one child process,
 * started once, echoes every object it receives ({@code send(recv())}) until it receives -1. Runs
 * 0 … {@code --n}, run 0 the warm-up, untimed; each run is {@code --count} (default 2,000) round trips
 * of the int i: {@code send(i)}, {@code recv()}, checked equal, each timed alone
 * ({@code System.nanoTime}). Reports {@code round_trip_us}: per run the median round trip in µs.
 */
public final class PipeRoundTripWorkload {
    static final int END = -1;

    private PipeRoundTripWorkload() {}

    public static void main(String[] args) throws Exception {
        WorkloadMain run = WorkloadMain.of(args, 5);
        int count = run.intOption("count", 2_000);
        List<Double> medians = new ArrayList<>();
        Pipe pipe = run.ctx.pipe(true);
        Connection childEnd = pipe.second();
        ChildProcess child = run.ctx.process(() -> echo(childEnd)).start();
        Connection c = pipe.first();
        for (int r = 0; r <= run.n; r++) {
            List<Double> micros = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                c.send(i);
                Object back = c.recv();
                long t = System.nanoTime() - t0;
                WorkloadMain.check(Integer.valueOf(i).equals(back), "echo " + back + ", expected " + i);
                micros.add(t / 1e3);
            }
            if (r > 0) {
                medians.add(Stats.median(micros));
            }
        }
        c.send(END);
        child.join();
        WorkloadMain.check(child.exitCode().orElse(-1) == 0, "the child exited with " + child.exitCode());
        c.close();
        Map<String, Object> out = run.header("pipe_round_trip");
        out.put("count", count);
        WorkloadMain.series(out, "round_trip", Row.Unit.US, medians);
        WorkloadMain.emit(out);
    }

    static void echo(Connection c) {
        while (true) {
            Object m = c.recv();
            if (Integer.valueOf(END).equals(m)) {
                break;
            }
            c.send(m);
        }
        c.close();
    }
}
