package org.multiprocessing4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.examples.Examples.Example;

/**
 * Runs one example's {@code main} in a fresh JVM, as a user would from a shell: the same {@code java},
 * the same class path, output straight to this terminal. A fresh JVM per example keeps them honest:
 * nothing one example started or loaded can help or hurt the next.
 *
 * <p><b>Failure.</b> An example that overruns its time limit is killed with every process under it,
 * so a hung example cannot leave JVMs behind.
 */
final class ExampleJvm {
    /** The outcome of one run; {@code exitCode} is the JVM's, or -1 when it was killed for overrunning. */
    record Outcome(Example example, int exitCode, Duration elapsed, boolean timedOut) {
        boolean passed() {
            return exitCode == 0 && !timedOut;
        }
    }

    private ExampleJvm() {}

    /** The command line that runs {@code example}: this JVM's binary and class path, its mp4j properties. */
    static List<String> command(Example example) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        // -Dmp4j.aot=false, -Dmp4j.startMethod=… given to the tour apply to the examples too.
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("mp4j."))
                .sorted()
                .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(example.mainClass().getName());
        return command;
    }

    /** Runs {@code example} with its output inherited, and waits at most {@code limit} for it. */
    static Outcome run(Example example, Duration limit) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command(example)).inheritIO().start();
        boolean ended = false;
        try {
            ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (!ended) { // overran, or this thread was interrupted: leave nothing running
                killTree(process);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Outcome(example, ended ? process.exitValue() : -1, elapsed, !ended);
    }

    /** Children first, so none is re-parented and missed while its parent is going. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
    }
}
