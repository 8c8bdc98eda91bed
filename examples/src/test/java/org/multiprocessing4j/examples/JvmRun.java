package org.multiprocessing4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a {@code main} in a separate JVM, with what it printed: the tests' view of an example, as
 * a user at a terminal would see it. Output goes to files, so a chatty example can never block on a
 * full pipe.
 */
record JvmRun(String mainClass, int exitCode, String out, String err) {

    /**
     * Runs {@code mainClass} with this JVM's class path and {@code args}; kills it and everything under it
     * if it overruns {@code limit}, or if the calling test is interrupted (a JUnit timeout).
     */
    static JvmRun of(Path dir, Duration limit, String mainClass, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dmp4j.aot=false", // a cache keyed on the test class path would be rebuilt every run
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new AssertionError(mainClass + " did not end within " + limit + "; killed it.\n"
                        + transcript(Files.readString(out), Files.readString(err)));
            }
        } finally {
            if (process.isAlive()) {
                killTree(process);
            }
        }
        return new JvmRun(mainClass, process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Children first, so that none is re-parented, and missed, while its parent goes. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Runs {@code assertions}; if one fails, the failure carries everything the JVM printed. */
    void check(Runnable assertions) {
        try {
            assertions.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + this, e);
        }
    }

    /** Group 1 of the first line of stdout that {@code regex} finds, as a number. */
    long number(String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new AssertionError("no match for /" + regex + "/ in the output");
        }
        return Long.parseLong(m.group(1));
    }

    /** Every match of {@code regex} in stdout, each as its groups 1..n. */
    List<List<String>> all(String regex) {
        List<List<String>> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(out);
        while (m.find()) {
            List<String> groups = new ArrayList<>();
            for (int g = 1; g <= m.groupCount(); g++) {
                groups.add(m.group(g));
            }
            found.add(groups);
        }
        return found;
    }

    private static String transcript(String out, String err) {
        return "----- stdout -----\n" + out + "----- stderr -----\n" + err + "------------------";
    }

    @Override
    public String toString() {
        return mainClass + " exited with " + exitCode + "\n" + transcript(out, err);
    }
}
