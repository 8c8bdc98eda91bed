package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK AOT cache for children: built in the background on first use, used after, and silently
 * skipped when it is damaged. Needs a class path of JAR files, so it builds them from this build's
 * classes.
 */
class AotCacheIT extends ProcessTestSupport {

    @TempDir
    Path dir;

    @Test
    void theCacheIsBuiltOnFirstUseUsedAfterAndSkippedSilentlyWhenDamaged() throws Exception {
        Path core = jarOf(ChildProcess.class, "core.jar", null);
        Path probe = jarOf(AotProbe.class, "probe.jar", "org/multiprocessing4j/AotProbe");
        Path cacheDir = dir.resolve("aot");
        String classPath = core + java.io.File.pathSeparator + probe;

        Run first = run(classPath, cacheDir);
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.out).contains("child options").doesNotContain("AOTCache");

        Path cache = awaitCache(cacheDir);
        Run second = run(classPath, cacheDir);
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("-XX:AOTCache=" + cache);
        assertThat(second.out + second.err).doesNotContain("[aot]").doesNotContain("[cds]");

        Files.write(cache, new byte[4096]); // garbage where the cache was
        Run third = run(classPath, cacheDir);
        assertThat(third.exitCode).as(third.toString()).isZero();
        assertThat(third.out).contains("child options");
        assertThat(third.out + third.err).doesNotContain("[aot]").doesNotContain("[cds]").doesNotContain("error");
    }

    /**
     * A child whose target captures only raw values gets the cache trained on a plain child's path (the
     * smaller); one whose target holds a queue and a shared value, and a pool worker, the one trained on
     * a pool worker's life and a queue's, a pipe's and a manager's traffic too; the queue and the shared
     * value work.
     */
    @Test
    void aPlainChildAndAPoolWorkerGetCachesOfTheirOwnKind() throws Exception {
        Path cacheDir = dir.resolve("aot");
        String classPath = kindsProbeClassPath();

        Run first = run(classPath, cacheDir, AotKindsProbe.class);
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.out).contains("queue exit 0 counter 1000").contains("worker options").doesNotContain("AOTCache");

        List<Path> caches = awaitCaches(cacheDir, 2);
        Run second = run(classPath, cacheDir, AotKindsProbe.class);
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("queue exit 0 counter 1000");
        String plain = cacheIn(second.out, "plain options ");
        String queue = cacheIn(second.out, "queue options ");
        String worker = cacheIn(second.out, "worker options ");
        assertThat(caches.stream().map(Path::toString)).contains(plain, worker);
        assertThat(plain).isNotEqualTo(worker);
        assertThat(queue).isEqualTo(worker);
        assertThat(Files.size(Path.of(plain))).as("the plain child's cache is the smaller")
                .isLessThan(Files.size(Path.of(worker)));
        assertThat(second.out + second.err).doesNotContain("[aot]").doesNotContain("[cds]");
    }

    /**
     * Warm spares boot with the cache of the last start's kind: a plain child's at first, a pool
     * worker's once a pool has taken one.
     */
    @Test
    void aWarmSpareBootsWithTheCacheOfTheLastStartsKind() throws Exception {
        Path cacheDir = dir.resolve("aot");
        String classPath = kindsProbeClassPath();
        Run training = run(classPath, cacheDir, AotKindsProbe.class);
        assertThat(training.exitCode).as(training.toString()).isZero();
        awaitCaches(cacheDir, 2);
        Run kinds = run(classPath, cacheDir, AotKindsProbe.class);
        String plain = "-XX:AOTCache=" + cacheIn(kinds.out, "plain options ");
        String worker = "-XX:AOTCache=" + cacheIn(kinds.out, "worker options ");

        Run spares = run(classPath, cacheDir, AotKindsProbe.class, "spares");
        assertThat(spares.exitCode).as(spares.toString()).isZero();
        assertThat(spares.out).contains("spare at first " + plain).contains("spare after a pool " + worker);
    }

    /** The library's JAR and {@link AotKindsProbe}'s, as a class path. */
    private String kindsProbeClassPath() throws Exception {
        Path core = jarOf(ChildProcess.class, "core.jar", null);
        Path probe = jarOf(AotKindsProbe.class, "kinds-probe.jar", "org/multiprocessing4j/AotKindsProbe");
        return core + java.io.File.pathSeparator + probe;
    }

    /** The {@code -XX:AOTCache} file on the line that starts with {@code prefix}. */
    private static String cacheIn(String out, String prefix) {
        String line = out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + out));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:AOTCache=([^,\\]]+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }

    private record Run(int exitCode, String out, String err) {}

    private Run run(String classPath, Path cacheDir) throws Exception {
        return run(classPath, cacheDir, AotProbe.class);
    }

    private Run run(String classPath, Path cacheDir, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aotDir=" + cacheDir, "-Dmp4j.spares=1", "-cp", classPath,
                main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("AotProbe did not end: " + out.getNow("") + err.getNow(""));
        }
        return new Run(process.exitValue(), out.get(), err.get());
    }

    /** The training JVM runs after the first probe has exited; waits for its cache file. */
    private static Path awaitCache(Path cacheDir) throws IOException {
        return awaitCaches(cacheDir, 1).getFirst();
    }

    /** Waits for {@code count} cache files (the trainings run after the probe has exited). */
    private static List<Path> awaitCaches(Path cacheDir, int count) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(cacheDir)) {
                try (Stream<Path> files = Files.list(cacheDir)) {
                    List<Path> caches = files.filter(f -> f.toString().endsWith(".aot")).toList();
                    if (caches.size() >= count) {
                        return caches;
                    }
                }
                try (Stream<Path> files = Files.list(cacheDir)) {
                    assertThat(files.filter(f -> f.toString().endsWith(".failed")).toList())
                            .as("the training run failed").isEmpty();
                }
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("no AOT cache in " + cacheDir + " after 120 s");
    }

    /** A jar of the classes where {@code type} was loaded from (all of them, or those under {@code prefix}). */
    private Path jarOf(Class<?> type, String name, String prefix) throws IOException, URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(location) && prefix == null) {
            return location;
        }
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(location)) {
            List<Path> classes = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            for (Path file : classes) {
                String entry = location.relativize(file).toString().replace('\\', '/');
                if (prefix == null || entry.startsWith(prefix)) {
                    out.putNextEntry(new JarEntry(entry));
                    Files.copy(file, (OutputStream) out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes());
        } catch (IOException e) {
            return "";
        }
    }
}
