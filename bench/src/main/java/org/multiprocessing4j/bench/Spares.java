package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Observes this JVM's warm spares from outside the core (whose spare slot is private), so that the
 * warm-spare variant times a start that finds its spare booted.
 *
 * <p>A spare is a child process of this JVM whose last argument is {@code spare} (the bootstrap's
 * mode). It is <i>ready</i> when one of its threads is blocked in {@code read(0, …)} — the bootstrap
 * waiting for its launch frame on stdin, after its warm-up — as {@code /proc/PID/task/TID/syscall}
 * shows (syscall 0 is {@code read} on x86-64; on other architectures the CPU check alone decides),
 * and its CPU time has stopped growing (the JIT threads are done too).
 */
final class Spares {
    private static final long POLL_MILLIS = 20;
    private static final int QUIET_POLLS = 3;

    private Spares() {}

    /**
     * Waits until the context's spares ({@code mp4j.spares}, the core's default 2) are all ready; false
     * if they were not within {@code timeout}.
     */
    static boolean awaitReady(Duration timeout) {
        int expected = Integer.getInteger("mp4j.spares", 2);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> lastPids = List.of();
        Duration lastCpu = Duration.ZERO;
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> spares = find();
            if (spares.size() >= expected && spares.stream().allMatch(Spares::blockedOnStdin)) {
                List<Long> pids = spares.stream().map(ProcessHandle::pid).toList();
                Duration cpu = spares.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus);
                quiet = pids.equals(lastPids) && cpu.equals(lastCpu) ? quiet + 1 : 0;
                lastPids = pids;
                lastCpu = cpu;
                if (quiet >= QUIET_POLLS) {
                    return true;
                }
            } else {
                quiet = 0;
            }
            pause(POLL_MILLIS);
        }
        return false;
    }

    /** This JVM's spares, in pid order. */
    static List<ProcessHandle> find() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[a.length - 1].equals("spare"))
                        .orElse(false))
                .sorted(java.util.Comparator.comparingLong(ProcessHandle::pid))
                .toList();
    }

    /** Whether a thread of {@code p} sits in {@code read} on fd 0; true when /proc cannot tell. */
    static boolean blockedOnStdin(ProcessHandle p) {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            return true;
        }
        Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                List<String> fields;
                try {
                    fields = List.of(Files.readString(task.resolve("syscall")).trim().split(" "));
                } catch (IOException e) {
                    continue; // the thread ended, or /proc/…/syscall is not readable
                }
                if (fields.size() > 1 && fields.get(0).equals("0") && fields.get(1).equals("0x0")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
