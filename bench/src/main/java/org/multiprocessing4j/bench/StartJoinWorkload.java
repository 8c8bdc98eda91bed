package org.multiprocessing4j.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.internal.launch.LaunchTrace;

/**
 * Process start+join, and {@code start()} → the target's first line: the Java side of
 * {@code bench/python/start_join.py}, run by {@link BenchCommand} as its own fresh JVM per round.
 *
 * <p>Shape (keep in step with the script's docstring): the context of {@code -Dmp4j.startMethod};
 * warm-up, one start+join of the empty target, untimed; phase 1, {@code --n} times start+join of an
 * empty target; phase 2, {@code --n} times {@code t0 = System.nanoTime()} just before {@code start()},
 * the target's first line reads {@code System.nanoTime()} (CLOCK_MONOTONIC, as Python's
 * {@code time.monotonic_ns()}) and writes it to a file the parent reads after {@code join()}. Prints
 * one JSON line, the same fields as the script. Phase 3, the first use of a child handed a queue: one
 * {@code ctx.queue()} made before the phase; {@code --n} times the parent {@code put}s {@code i},
 * {@code t0} just before {@code start()}, the target (capturing the queue) takes the item, checks it
 * and stamps the time as in phase 2.
 *
 * <p>The variant ({@code --variant cold|aot|warm}) is chosen by the runner's system properties
 * ({@code mp4j.aot}, {@code mp4j.aotDir}, {@code mp4j.startMethod}); here it only decides whether
 * to wait, before each timed start, for the next warm spare to have booted ({@link Spares}): the
 * steady state of a program that starts a process now and then, and the one forkserver is in.
 * {@code --prime} only starts one process and waits until the AOT training run has begun.
 *
 * <p>{@code --timeline} (with {@code -Dmp4j.trace.launch=true}) measures where the time goes instead:
 * {@code --n} times the JVM's floor ({@link LaunchFloor}: {@code java -XX:AOTCache=… Hello}) then one
 * start+join of the empty target, whose launch trace it reads back
 * ({@link org.multiprocessing4j.internal.launch.LaunchTrace#recent()}); it reports each phase's
 * figures beside the floor's.
 */
public final class StartJoinWorkload {
    private static final Duration SPARE_WAIT = Duration.ofSeconds(60);

    private StartJoinWorkload() {}

    public static void main(String[] args) throws IOException {
        WorkloadMain run = WorkloadMain.of(args, 9);
        int n = run.n;
        Path dir = run.dir;
        Files.createDirectories(dir);
        Context ctx = run.ctx;
        boolean warm = run.variant.startsWith("warm");

        if (run.flag("prime")) {
            // A plain child's cache and a pool worker's (which warm spares use too): two trainings.
            java.util.Set<String> before = trainingKeys();
            startJoin(ctx, () -> { });
            try (ProcessPool pool = ctx.pool(1)) {
                pool.apply(() -> 1);
            }
            waitForTraining(before, 2);
            return;
        }
        startJoin(ctx, () -> { });
        if (run.flag("timeline")) {
            timeline(run, warm);
            return;
        }
        int spareWaits = 0;
        List<Double> startJoin = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            spareWaits += warm && !Spares.awaitReady(SPARE_WAIT) ? 1 : 0;
            long t0 = System.nanoTime();
            startJoin(ctx, () -> { });
            startJoin.add((System.nanoTime() - t0) / 1e6);
        }
        List<Double> firstLine = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String stamp = dir.resolve("java-" + ProcessHandle.current().pid() + "-" + i + ".stamp").toString();
            ChildProcess p = ctx.process(() -> stamp(stamp));
            spareWaits += warm && !Spares.awaitReady(SPARE_WAIT) ? 1 : 0;
            long t0 = System.nanoTime();
            p.start();
            p.join();
            Path file = Path.of(stamp);
            long t1 = Long.parseLong(Files.readString(file).trim());
            Files.delete(file);
            firstLine.add((t1 - t0) / 1e6);
        }
        List<Double> firstTake = new ArrayList<>();
        try (ProcessQueue<Integer> q = ctx.queue()) {
            for (int i = 0; i < n; i++) {
                String stamp = dir.resolve("java-" + ProcessHandle.current().pid() + "-take-" + i + ".stamp").toString();
                int expected = i;
                q.put(i);
                ChildProcess p = ctx.process(() -> takeStamp(q, expected, stamp));
                spareWaits += warm && !Spares.awaitReady(SPARE_WAIT) ? 1 : 0;
                long t0 = System.nanoTime();
                p.start();
                p.join();
                WorkloadMain.check(p.exitCode().orElse(-1) == 0, "the taking child exited with " + p.exitCode());
                Path file = Path.of(stamp);
                long t1 = Long.parseLong(Files.readString(file).trim());
                Files.delete(file);
                firstTake.add((t1 - t0) / 1e6);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> out = run.header("start_join");
        WorkloadMain.series(out, "start_join", Row.Unit.MS, startJoin);
        WorkloadMain.series(out, "first_line", Row.Unit.MS, firstLine);
        WorkloadMain.series(out, "first_take", Row.Unit.MS, firstTake);
        out.put("spare_not_ready", spareWaits);
        WorkloadMain.emit(out);
    }

    /** {@code --timeline}: the floor and our phases, interleaved start by start. */
    private static void timeline(WorkloadMain run, boolean warm) throws IOException {
        if (!LaunchTrace.ENABLED) {
            throw new IllegalStateException("--timeline needs -Dmp4j.trace.launch=true");
        }
        LaunchFloor floor = LaunchFloor.in(run.dir);
        floor.measure(); // warm-up, as our first start+join was
        int before = LaunchTrace.recent().size();
        String[] floorPhases = {"spawn", "boot", "exit", "total"};
        Map<String, List<Double>> floors = new LinkedHashMap<>();
        for (String phase : floorPhases) {
            floors.put(phase, new ArrayList<>());
        }
        int spareWaits = 0;
        for (int i = 0; i < run.n; i++) {
            double[] f = floor.measure();
            for (int k = 0; k < floorPhases.length; k++) {
                floors.get(floorPhases[k]).add(f[k]);
            }
            spareWaits += warm && !Spares.awaitReady(SPARE_WAIT) ? 1 : 0;
            startJoin(run.ctx, () -> { });
        }
        List<LaunchTrace.Timeline> traced = LaunchTrace.recent();
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        List<Double> totals = new ArrayList<>();
        for (LaunchTrace.Timeline t : traced.subList(before, traced.size())) {
            t.phases().forEach((phase, ms) -> phases.computeIfAbsent(phase, k -> new ArrayList<>()).add(ms));
            totals.add(t.totalMillis());
        }
        phases.put("total", totals);
        Map<String, Object> out = run.header("start_join");
        out.put("timeline", phases);
        out.put("floor", floors);
        out.put("floor_aot_cache", floor.cached());
        out.put("spare_not_ready", spareWaits);
        WorkloadMain.emit(out);
    }

    /** The timed target of phase 2: its first line takes the time, then it is written out. */
    private static void stamp(String path) {
        long t = System.nanoTime();
        try (FileOutputStream out = new FileOutputStream(path)) {
            out.write(Long.toString(t).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void takeStamp(ProcessQueue<Integer> q, int expected, String path) {
        int item;
        try {
            item = q.take();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        long t = System.nanoTime();
        if (item != expected) { // the message is built only on a mismatch: a string concatenation costs a child its first use
            WorkloadMain.check(false, "took " + item + ", expected " + expected);
        }
        try (FileOutputStream out = new FileOutputStream(path)) {
            out.write(Long.toString(t).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void startJoin(Context ctx, org.multiprocessing4j.SerializableRunnable target) {
        ChildProcess p = ctx.process(target);
        p.start();
        p.join();
        if (p.exitCode().orElse(-1) != 0) {
            throw new IllegalStateException(p + " did not exit with 0");
        }
    }

    /**
     * The first launches started the AOT caches' training JVMs from background threads; this JVM must
     * not exit before those threads have started them ({@code count} keys beyond {@code before} with a
     * lock file, or the cache itself, or a failure mark).
     */
    private static void waitForTraining(java.util.Set<String> before, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            java.util.Set<String> keys = trainingKeys();
            keys.removeAll(before);
            if (keys.size() >= count) {
                return;
            }
            Spares.pause(20);
        }
    }

    /** The keys of the bench's AOT directory with a cache, a training under way or a failure mark. */
    private static java.util.Set<String> trainingKeys() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        String dir = System.getProperty("mp4j.aotDir");
        if (dir == null) {
            return keys;
        }
        try (var files = Files.list(Path.of(dir))) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".lock") || n.endsWith(".aot") || n.endsWith(".failed"))
                    .forEach(n -> keys.add(n.substring(0, n.lastIndexOf('.'))));
        } catch (IOException e) {
            // not created yet
        }
        return keys;
    }
}
