package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.multiprocessing4j.internal.shm.Segments;
import org.junit.jupiter.api.Timeout;

/**
 * Base of every test that starts processes: a hard timeout, and after the class, the check that no
 * child process is left behind (each is given a few seconds to finish ending, then named), and that
 * no shared segment ({@code /dev/shm/mp4j.*}) the class made is left behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProcessTestSupport {
    private static final long SELF = ProcessHandle.current().pid();
    private static Set<String> segmentsBefore = Set.of();

    @BeforeAll
    static void rememberSegments() {
        segmentsBefore = Segments.list().stream().map(Segments.Info::name).collect(Collectors.toSet());
    }

    /**
     * Every segment that appeared during the class and that this JVM created, still has attached, or
     * that no live process has attached, is a leak. (Segments of other JVMs that happen to share
     * {@code /dev/shm}, alive and in use, are not ours to judge.) Exits get a short grace.
     */
    @AfterAll
    static void noSegmentIsLeftBehind() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Segments.Info> leaked = leakedSegments();
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
            leaked = leakedSegments();
        }
        assertThat(leaked).as("shared segments left behind under " + Segments.directory()).isEmpty();
    }

    private static List<Segments.Info> leakedSegments() {
        return Segments.list().stream()
                .filter(info -> !segmentsBefore.contains(info.name()))
                .filter(info -> info.creatorPid() == SELF || info.attached().contains(SELF) || info.orphaned())
                .toList();
    }

    /**
     * After the class, no process this JVM started is still running, but for its own resource tracker,
     * which lives as long as its creator does (as Python's).
     */
    @AfterAll
    static void noChildProcessIsLeftBehind() {
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle child : ProcessHandle.current().descendants().filter(p -> !isOurTracker(p)).toList()) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                alive.add(child);
            }
        }
        List<String> described = alive.stream().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        assertThat(described).as("child processes left behind").isEmpty();
    }

    private static boolean isOurTracker(ProcessHandle process) {
        return process.parent().map(p -> p.pid() == SELF).orElse(false) && process.info().arguments()
                .map(a -> a.length > 0 && a[a.length - 1].endsWith("internal.shm.ResourceTracker")).orElse(false);
    }

    /**
     * After the class, no segment this JVM created is left under {@code /dev/shm}: anonymous segments
     * carry their creator's pid in their name ({@code Segments.newName}), and so do a queue's message
     * segments. (Other test JVMs may be running at the same time: only ours are checked.) Those of
     * killed processes are removed by the resource tracker within moments: given a few seconds.
     */
    @AfterAll
    static void noSegmentOfOursIsLeftBehind() {
        String ours = "-" + ProcessHandle.current().pid() + "-";
        java.util.function.Supplier<List<String>> left = () -> {
            try (java.util.stream.Stream<Path> files = Files.list(org.multiprocessing4j.internal.shm.Segments.directory())) {
                return files.map(f -> f.getFileName().toString())
                        .filter(n -> n.startsWith("mp4j.") && n.contains(ours)).toList();
            } catch (IOException e) {
                return List.of();
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!left.get().isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        assertThat(left.get()).as("segments left behind under /dev/shm").isEmpty();
    }

    /** Writes {@code text} to {@code file}; for targets, which report through files. */
    /**
     * Writes {@code file} whole or not at all (a temporary file moved into place): a test that waits
     * for the file to exist then reads it never sees it empty.
     */
    public static void write(String file, String text) {
        try {
            Path target = Path.of(file);
            Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a target has written {@code file}: the only way a test sees across processes that
     * the target is running. Polls briefly; fails after {@code timeout}.
     */
    public static void awaitFile(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " was not written within " + timeout);
            }
            sleep(Duration.ofMillis(5));
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code main} in a new JVM with this JVM's class path; the result once it has ended. */
    public static JvmResult runJvm(Class<?> main, Duration timeout, String... args) {
        return runJvm(main, List.of(), timeout, args);
    }

    public static JvmResult runJvm(Class<?> main, List<String> jvmOptions, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dmp4j.aot=false");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(main.getSimpleName() + " did not end within " + timeout
                        + "\nstdout:\n" + out.getNow("") + "\nstderr:\n" + err.getNow(""));
            }
            return new JvmResult(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("running " + main.getName() + ": " + e, e);
        }
    }

    /**
     * Starts {@code main} in a new JVM with this JVM's class path and leaves it running; its output
     * goes to this JVM's (so that it shows with a failing test). The caller ends it.
     */
    public static Process startJvm(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dmp4j.aot=false");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code condition} holds, for what only polling can see across processes (a pid file,
     * a worker replaced); fails with {@code what} after {@code timeout}.
     */
    public static void awaitCondition(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            sleep(Duration.ofMillis(10));
        }
    }

    /** Whether the process {@code pid} is running. */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A finished JVM: exit code and everything it printed. */
    public record JvmResult(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }
}
