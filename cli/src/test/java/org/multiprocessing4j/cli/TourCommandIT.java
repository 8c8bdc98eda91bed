package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.examples.Examples;

/**
 * {@code mp4j tour}, run as the launcher runs it: {@link Main} in its own JVM, which starts each example in
 * a JVM of its own. Kept to the small examples; {@code ExamplesIT} checks what each example proves.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TourCommandIT {
    private static final long LIMIT_SECONDS = 60;

    @TempDir
    static Path dir;

    /** What one {@code mp4j} command printed, and its exit code. */
    record Result(int exitCode, String out, String err) {
        void check(Runnable assertions) {
            try {
                assertions.run();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nmp4j exited with " + exitCode
                        + "\n----- stdout -----\n" + out + "----- stderr -----\n" + err, e);
            }
        }
    }

    private static Result mp4j(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("mp4j " + String.join(" ", args) + " did not end within "
                        + LIMIT_SECONDS + " s\n" + Files.readString(out) + Files.readString(err));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void listNamesEveryExampleAndWhatItProves() throws Exception {
        Result r = mp4j("tour", "--list");
        r.check(() -> {
            assertThat(r.exitCode()).isZero();
            for (Examples.Example e : Examples.all()) {
                assertThat(r.out()).containsPattern("(?m)^" + e.name() + " +" + java.util.regex.Pattern.quote(e.proves()));
            }
            assertThat(r.out()).doesNotContain("main: pid="); // nothing was run
        });
    }

    @Test
    void runsTheNamedExamplesInTheirOwnJvms() throws Exception {
        Result r = mp4j("tour", "pid-ppid", "create-process");
        r.check(() -> {
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("[1/2] pid-ppid", "[2/2] create-process")
                    .contains("proves: " + Examples.named("pid-ppid").orElseThrow().proves())
                    .contains("child: hello bob", "main ends")
                    .contains("--- pid-ppid: ok, exit code 0 in ", "--- create-process: ok, exit code 0 in ")
                    .contains("2 of 2 examples passed")
                    .doesNotContain("five-processes");
            long tour = number(r.out(), "this tour is pid (\\d+)");
            long example = number(r.out(), "main: pid=(\\d+) ppid=\\d+");
            assertThat(example).as("the example's own JVM").isNotEqualTo(tour);
            assertThat(number(r.out(), "main: pid=\\d+ ppid=(\\d+)")).as("the example's parent").isEqualTo(tour);
            assertThat(r.out().indexOf("[2/2]")).as("one after another")
                    .isGreaterThan(r.out().indexOf("--- pid-ppid: ok"));
        });
    }

    @Test
    void anUnknownNameIsAnErrorThatListsTheKnownOnes() throws Exception {
        Result r = mp4j("tour", "no-such-example");
        r.check(() -> {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("no example named 'no-such-example'", "create-process", "cpu-vs-io");
            assertThat(r.out()).doesNotContain("[1/");
        });
    }

    /** The daemon example needs well over a second (its worker sleeps 1 s), so a 1 s limit always trips. */
    @Test
    void anExampleOverItsTimeLimitIsKilledAndFailsTheTour() throws Exception {
        Result r = mp4j("tour", "--timeout", "1", "daemon");
        r.check(() -> {
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).contains("--- daemon: FAILED, still running at the 1 s time limit: killed with its children")
                    .contains("0 of 1 examples passed")
                    .contains("FAILED: daemon");
        });
    }

    @AfterAll
    static void noProcessLeftBehind() {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("processes under the test JVM").isEmpty();
    }

    private static long number(String text, String regex) {
        var m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/" + regex + "/ in the output").isTrue();
        return Long.parseLong(m.group(1));
    }
}
