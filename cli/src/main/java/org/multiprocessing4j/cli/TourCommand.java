package org.multiprocessing4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.multiprocessing4j.cli.ExampleJvm.Outcome;
import org.multiprocessing4j.examples.Examples;
import org.multiprocessing4j.examples.Examples.Example;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mp4j tour}: runs the seed programs (module {@code examples}) one after another, each in its own
 * JVM, with a header saying what it proves, then its exit code and time, and a summary at the end.
 * The exit code is 0 only if every example passed, so the tour doubles as a smoke test. Some examples
 * run only when named ({@link Examples#byNameOnly()}: {@code mp4j tour cluster}), so the default tour
 * stays as fast as it was.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"Run the tutorials' programs, live, with real processes.",
                "Each example runs in its own JVM; its children are JVMs too."})
public final class TourCommand implements Callable<Integer> {
    private static final String RULE = "=".repeat(100);

    @Option(names = {"-l", "--list"}, description = "List the examples and what each proves; run nothing.")
    boolean list;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Kill an example (and its children) that runs longer than this (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Run only these examples, in this order (see --list). Default: all of them but those "
                    + "run only when named (cluster: 3 cluster members on loopback).")
    List<String> names = new ArrayList<>();

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Optional<List<Example>> chosen = chosen();
        if (chosen.isEmpty()) {
            return 2;
        }
        if (list) {
            printList(chosen.get());
            if (names.isEmpty()) {
                out.println();
                out.println("Run only when named (e.g. mp4j tour cluster):");
                printList(Examples.byNameOnly());
            }
            return 0;
        }
        return tour(chosen.get());
    }

    /** The examples named on the command line, or all; empty (after saying why) if a name is unknown. */
    private Optional<List<Example>> chosen() {
        if (names.isEmpty()) {
            return Optional.of(Examples.all());
        }
        List<Example> chosen = new ArrayList<>();
        for (String name : names) {
            Optional<Example> example = Examples.named(name);
            if (example.isEmpty()) {
                System.err.println("mp4j tour: no example named '" + name + "'. Known examples: "
                        + String.join(", ", java.util.stream.Stream.concat(Examples.all().stream(),
                                Examples.byNameOnly().stream()).map(Example::name).toList()));
                return Optional.empty();
            }
            chosen.add(example.get());
        }
        return Optional.of(chosen);
    }

    private void printList(List<Example> examples) {
        int width = examples.stream().mapToInt(e -> e.name().length()).max().orElse(0) + 2;
        for (Example e : examples) {
            out.printf("%-" + width + "s%s%n", e.name(), e.proves());
            out.printf("%-" + width + "s(%s; %s)%n", "", e.seed(), e.mainClass().getSimpleName());
        }
    }

    private int tour(List<Example> examples) throws IOException, InterruptedException {
        out.printf("mp4j tour: %d example%s, each in its own JVM (this tour is pid %d, %s)%n",
                examples.size(), examples.size() == 1 ? "" : "s", ProcessHandle.current().pid(),
                Runtime.version());
        long start = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            outcomes.add(runOne(examples.get(i), i + 1, examples.size()));
        }
        printSummary(outcomes, Duration.ofNanos(System.nanoTime() - start));
        return outcomes.stream().allMatch(Outcome::passed) ? 0 : 1;
    }

    private Outcome runOne(Example example, int index, int count) throws IOException, InterruptedException {
        out.println();
        out.println(RULE);
        out.printf("[%d/%d] %s  (%s, %s)%n", index, count, example.name(), example.mainClass().getSimpleName(),
                example.seed());
        out.println("proves: " + example.proves());
        out.println(RULE);
        out.flush(); // the example writes to the same terminal, straight to the file descriptor
        Outcome outcome = ExampleJvm.run(example, Duration.ofSeconds(timeoutSeconds));
        out.printf("--- %s: %s%n", example.name(), verdict(outcome));
        out.flush();
        return outcome;
    }

    private void printSummary(List<Outcome> outcomes, Duration total) {
        out.println();
        out.println(RULE);
        out.println("Summary");
        int width = outcomes.stream().mapToInt(o -> o.example().name().length()).max().orElse(0) + 2;
        out.printf("  %-" + width + "s %6s %9s  %s%n", "example", "exit", "time", "result");
        for (Outcome o : outcomes) {
            out.printf("  %-" + width + "s %6s %9s  %s%n", o.example().name(),
                    o.timedOut() ? "-" : Integer.toString(o.exitCode()), seconds(o.elapsed()),
                    o.passed() ? "ok" : "FAILED");
        }
        long passed = outcomes.stream().filter(Outcome::passed).count();
        out.printf("%d of %d examples passed in %s%s%n", passed, outcomes.size(), seconds(total),
                passed == outcomes.size() ? "" : "; FAILED: " + String.join(", ", outcomes.stream()
                        .filter(o -> !o.passed()).map(o -> o.example().name()).toList()));
        out.flush();
    }

    private String verdict(Outcome o) {
        if (o.timedOut()) {
            return "FAILED, still running at the " + timeoutSeconds + " s time limit: killed with its children";
        }
        return (o.passed() ? "ok" : "FAILED") + ", exit code " + o.exitCode() + " in " + seconds(o.elapsed());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
