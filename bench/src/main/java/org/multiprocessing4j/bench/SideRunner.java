package org.multiprocessing4j.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * Runs one side of one round as its own fresh process — {@code python3 bench/python/<script>} or a
 * JVM running a workload main — and returns the JSON line it printed last.
 *
 * <p>Each JVM gets this JVM's {@code java} and class path (all JARs under {@code mp4j}, so the AOT
 * cache can work) and the variant's system properties; its children inherit both.
 */
final class SideRunner {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** A variant's suffix for its launch-timeline side ({@code aot+trace}). */
    static final String TRACED = "+trace";

    private final Path work;
    private final Optional<Path> python;
    private final Path scripts;
    private final Path aotDir;
    private final boolean aotUsable;

    SideRunner(Path work, Optional<Path> python, Path scripts, Path aotDir, boolean aotUsable) {
        this.work = work;
        this.python = python;
        this.scripts = scripts;
        this.aotDir = aotDir;
        this.aotUsable = aotUsable;
    }

    /** {@code python3 <script> --method M --n N --dir D <args>}. */
    Map<String, Object> python(String script, String method, int n, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python.orElseThrow().toString(), scripts.resolve(script).toString(),
                "--method", method, "--n", Integer.toString(n), "--dir", work.toString()));
        cmd.addAll(args);
        return run(cmd);
    }

    /** A JVM running {@code mainClass --variant V --n N --dir D <args>} with the variant's properties. */
    Map<String, Object> java(String mainClass, String variant, int n, List<String> args) throws IOException {
        return run(javaCommand(mainClass, variant, n, args));
    }

    /** Runs {@code mainClass --prime} with an AOT variant, for its side effect on the cache; no line. */
    void prime(String mainClass, String variant) throws IOException {
        run(javaCommand(mainClass, variant, 1, List.of("--prime")), false);
    }

    private List<String> javaCommand(String mainClass, String variant, int n, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Environment.javaBinary().toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(variantProperties(variant));
        cmd.add("-cp");
        cmd.add(variant.startsWith("dirs") ? directoryClassPath() : System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of("--variant", variant, "--n", Integer.toString(n), "--dir", work.toString()));
        cmd.addAll(args);
        return cmd;
    }

    List<String> variantProperties(String variant) {
        if (variant.endsWith(TRACED)) { // the launch timeline of a variant: the same, with the trace on
            List<String> props = new ArrayList<>(variantProperties(variant.substring(0, variant.length() - TRACED.length())));
            props.add("-Dmp4j.trace.launch=true");
            return props;
        }
        String aot = aotUsable ? "-Dmp4j.aotDir=" + aotDir : "-Dmp4j.aot=false";
        return switch (variant) {
            case "cold" -> List.of("-Dmp4j.aot=false", "-Dmp4j.startMethod=spawn");
            case "aot", "dirs" -> List.of(aot, "-Dmp4j.startMethod=spawn");
            case "warm" -> List.of(aot, "-Dmp4j.startMethod=warm_spare");
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    private Map<String, Object> run(List<String> cmd) throws IOException {
        return Json.parseObject(run(cmd, true));
    }

    private String run(List<String> cmd, boolean wantLine) throws IOException {
        Path out = Files.createTempFile(work, "side", ".out");
        Path err = Files.createTempFile(work, "side", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            boolean ended;
            try {
                ended = p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = false;
            }
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("timed out after " + TIMEOUT + ": " + String.join(" ", cmd));
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String last = null;
            for (String line : lines) {
                if (line.startsWith("{")) {
                    last = line;
                }
            }
            if (p.exitValue() != 0 || (wantLine && last == null)) {
                throw new IOException("exit code " + p.exitValue() + " from " + abbreviate(cmd) + "\n"
                        + tail(Files.readString(err, StandardCharsets.UTF_8)) + tail(String.join("\n", lines)));
            }
            return last;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String abbreviate(List<String> cmd) {
        return String.join(" ", cmd).replaceAll("-cp \\S+", "-cp …");
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }

    /** {@code python3} on the PATH, if there is one. */
    static Optional<Path> findPython() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The directory of the Python scripts: {@code <home>/bench/python} in a source tree, else a copy of
     * the ones packaged in the bench JAR, in {@code work}.
     */
    static Path scripts(Path home, Path work, List<String> names) throws IOException {
        Path tree = home.resolve("bench").resolve("python");
        if (names.stream().allMatch(n -> Files.isRegularFile(tree.resolve(n)))) {
            return tree;
        }
        Path copy = Files.createDirectories(work.resolve("python"));
        for (String name : names) {
            try (InputStream in = SideRunner.class.getResourceAsStream("/python/" + name)) {
                if (in == null) {
                    throw new IOException("bench script " + name + " is neither in " + tree + " nor on the class path");
                }
                Files.copy(in, copy.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }

    /**
     * The class path of a program run from an IDE or {@code mvn exec:java}: the bench's own classes as
     * a directory (its JAR unpacked once into the work directory), the libraries as JARs.
     */
    private String directoryClassPath() {
        Path jar;
        try {
            jar = Path.of(SideRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path classes = work.resolve("classes-dirs");
        if (!Files.isDirectory(classes)) {
            try (var zip = new ZipFile(jar.toFile())) {
                for (var entry : Collections.list(zip.entries())) {
                    Path target = classes.resolve(entry.getName()).normalize();
                    if (!target.startsWith(classes) || entry.isDirectory()) {
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (var in = zip.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack " + jar, e);
            }
        }
        List<String> entries = new ArrayList<>(List.of(classes.toString()));
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!Path.of(entry).equals(jar)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Whether every class path entry is a JAR file: the JDK's AOT cache can only archive those. */
    static boolean classPathIsJars() {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isEmpty() || !entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }
}
