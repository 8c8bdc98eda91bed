package org.multiprocessing4j.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The distance to the JVM's floor: {@code java -XX:AOTCache=… Hello} started and reaped from this JVM,
 * with the same clock as the launch trace, phase by phase: {@code spawn} (to
 * {@code ProcessBuilder.start} returned), {@code boot} (to {@link Hello}'s {@code main}), {@code exit}
 * (from there to the exit seen, output read and process reaped), and the total.
 *
 * <p>The cache is trained once per work directory ({@code -XX:AOTCacheOutput}, the JDK's one-step
 * training), on the JAR that holds {@link Hello} alone; where that is not a JAR, the floor runs without
 * a cache and says so ({@link #cached()}).
 */
final class LaunchFloor {
    private final Path java;
    private final String classPath;
    private final Path cache;

    private LaunchFloor(Path java, String classPath, Path cache) {
        this.java = java;
        this.classPath = classPath;
        this.cache = cache;
    }

    /** A floor whose cache lives in {@code dir}; trains it if it is not there yet. */
    static LaunchFloor in(Path dir) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = codeSource();
        if (jar == null || !Files.isRegularFile(jar)) {
            return new LaunchFloor(java, System.getProperty("java.class.path"), null);
        }
        Path cache = dir.resolve("hello-floor.aot");
        if (!Files.isRegularFile(cache)) {
            Path tmp = dir.resolve("hello-floor." + ProcessHandle.current().pid() + ".aot");
            run(List.of(java.toString(), "-XX:AOTCacheOutput=" + tmp, "-Xlog:aot=off", "-Xlog:cds=off",
                    "-cp", jar.toString(), Hello.class.getName()));
            if (Files.isRegularFile(tmp)) {
                Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return new LaunchFloor(java, jar.toString(), Files.isRegularFile(cache) ? cache : null);
    }

    boolean cached() {
        return cache != null;
    }

    /** One launch: {@code [spawn, boot, exit, total]} in milliseconds. */
    double[] measure() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        if (cache != null) {
            cmd.add("-XX:AOTCache=" + cache);
        }
        cmd.addAll(List.of("-cp", classPath, Hello.class.getName()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long spawned = System.nanoTime();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        waitFor(p);
        long seen = System.nanoTime();
        if (p.exitValue() != 0 || out.isEmpty()) {
            throw new IOException("the floor's hello world failed: exit " + p.exitValue() + ", printed '" + out + "'");
        }
        long main = Long.parseLong(out.lines().findFirst().orElseThrow().trim());
        return new double[] {(spawned - t0) / 1e6, (main - spawned) / 1e6, (seen - main) / 1e6, (seen - t0) / 1e6};
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        waitFor(p);
    }

    private static void waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the floor's JVM did not end in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The JAR (or directory) this class was loaded from. */
    private static Path codeSource() {
        try {
            var source = LaunchFloor.class.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : Path.of(source.getLocation().toURI());
            return path != null && path.toString().endsWith(".jar") ? path : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
