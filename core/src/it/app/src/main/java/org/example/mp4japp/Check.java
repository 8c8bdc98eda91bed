package org.example.mp4japp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@link App} as a user would in one packaging ({@code java ARGS…} in the current directory) and
 * fails the build unless: it exits 0 and prints {@code mp4j-app OK}; neither it nor its children print
 * a JVM warning or a stack trace (the JVM's "Picked up JAVA_TOOL_OPTIONS" notice is not a warning:
 * every JVM started under that variable prints it, children too); and within 20 s of its exit no process it reported is alive and no
 * shared segment ({@code /dev/shm/mp4j.*}) made by one of them is left.
 */
public final class Check {
    private static final Pattern PIDS = Pattern.compile("mp4j-app pids \\[([0-9, ]*)\\]");

    public static void main(String[] args) throws Exception {
        String label = args[0];
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(args).subList(1, args.length));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String toolOptions = System.getProperty("check.toolOptions", "");
        if (!toolOptions.isEmpty()) {
            builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        System.out.println("[" + label + "] " + String.join(" ", command));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        output.lines().forEach(line -> System.out.println("[" + label + "] | " + line));

        List<String> problems = new ArrayList<>();
        if (code != 0) {
            problems.add("exit code " + code);
        }
        if (!output.contains("mp4j-app OK")) {
            problems.add("no 'mp4j-app OK' line");
        }
        output.lines()
                .filter(l -> l.startsWith("WARNING") || l.contains("Exception") || l.startsWith("Error"))
                .forEach(l -> problems.add("printed: " + l));
        Matcher m = PIDS.matcher(output);
        List<Long> pids = new ArrayList<>();
        if (m.find()) {
            for (String pid : m.group(1).split(",\\s*")) {
                if (!pid.isBlank()) {
                    pids.add(Long.parseLong(pid.trim()));
                }
            }
        } else {
            problems.add("no pid list");
        }
        // 20 s for children and segments; an AOT training run (started in the background by the first
        // child of a new class path) may take until its own deadline (120 s) to write the cache.
        long deadline = System.nanoTime() + 20_000_000_000L;
        long trainingDeadline = System.nanoTime() + 150_000_000_000L;
        List<String> left;
        while (true) {
            left = leftovers(pids);
            boolean onlyTraining = !left.isEmpty() && left.stream().allMatch(l -> l.contains(TRAINING));
            long now = System.nanoTime();
            if (left.isEmpty() || now > (onlyTraining ? trainingDeadline : deadline)) {
                break;
            }
            Thread.sleep(100); // polling the OS for processes and files to go: there is no event to wait on
        }
        left.forEach(l -> problems.add("left behind: " + l));

        if (!problems.isEmpty()) {
            problems.forEach(p -> System.out.println("[" + label + "] FAILED: " + p));
            System.exit(1);
        }
        System.out.println("[" + label + "] passed: " + pids.size() + " processes, all gone, no segment left");
    }

    private static final String TRAINING = "(AOT training)";
    /**
     * Processes once seen to be an AOT training run: while it exits, a process's command line reads
     * empty, and it must still count as the training it was.
     */
    private static final java.util.Set<Long> TRAINING_PIDS = new java.util.HashSet<>();

    private static List<String> leftovers(List<Long> pids) throws IOException {
        List<String> left = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                String command = p.info().commandLine().orElse("");
                if (command.contains("Bootstrap train") || command.contains("mp4j-aot-training")) {
                    TRAINING_PIDS.add(pid);
                }
                left.add("process " + pid + (TRAINING_PIDS.contains(pid) ? " " + TRAINING + " " : " ") + command);
            });
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm)) {
            try (Stream<Path> files = Files.list(shm)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.startsWith("mp4j.") && pids.stream().anyMatch(p -> n.contains("-" + p + "-")))
                        .forEach(n -> left.add("segment /dev/shm/" + n));
            }
        }
        return left;
    }
}
