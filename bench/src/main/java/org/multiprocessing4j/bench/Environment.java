package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the results are recorded with: CPU, Python, Java, the commit, the date. */
final class Environment {
    private Environment() {}

    static Map<String, Object> capture(Path home, Optional<Path> python) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        env.put("cpu_model", cpuModel());
        env.put("cpu_count", cpuCount());
        env.put("available_processors", Runtime.getRuntime().availableProcessors());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("python", python.map(p -> run(home, p.toString(), "--version")).orElse("not found"));
        env.put("python_path", python.map(Path::toString).orElse(null));
        env.put("java", run(home, javaBinary().toString(), "-version"));
        env.put("java_home", System.getProperty("java.home"));
        String commit = run(home, "git", "rev-parse", "HEAD");
        env.put("commit", commit);
        env.put("commit_short", commit.length() >= 7 && commit.matches("[0-9a-f]+") ? commit.substring(0, 7) : "nogit");
        env.put("dirty", !run(home, "git", "status", "--porcelain", "--untracked-files=no").isEmpty());
        return env;
    }

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static String cpuModel() {
        return cpuinfo().stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
    }

    private static int cpuCount() {
        long n = cpuinfo().stream().filter(l -> l.startsWith("processor")).count();
        return n > 0 ? (int) n : Runtime.getRuntime().availableProcessors();
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The command's output (stdout and stderr), trimmed and on one line; empty if it could not run. */
    static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return "";
            }
            return out.trim().replaceAll("\\s*\\n\\s*", " | ");
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
