package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets of every shape, each run in a child: the ones a child runs by calling their method (a lambda
 * that captures nothing or one string or byte array, a static method reference), the ones it rebuilds
 * (other captured raw values, a bound receiver, a constructor reference) and the ones that travel serialized (a captured
 * {@code this}); what they throw, their exit codes, the serial filter on each path, and the process
 * table's entry of the child.
 */
class ChildTargetsIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    /** Where a target without captured values writes: the child's {@code -Dout=…}. */
    static void writeToOut() {
        write(System.getProperty("out"), "static method of " + Multiprocessing.currentProcess().name());
    }

    static void throwChecked() {
        throw ChildTargetsIT.<RuntimeException>sneaky(new IOException("checked, from the target"));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** A constructor reference's class: constructing it is the target. */
    static final class Marker {
        Marker() {
            write(System.getProperty("out"), "constructed");
        }
    }

    /** A serializable object whose lambda captures it ({@code this}), and whose method is referenced. */
    static final class Holder implements Serializable {
        private final String out;
        private final String label;

        Holder(String out, String label) {
            this.out = out;
            this.label = label;
        }

        SerializableRunnable capturingThis() {
            return () -> write(out, "this: " + label);
        }

        void writeLabel() {
            write(out, "method of " + label);
        }
    }

    /** A class that the serial filter denies, holding a target. */
    static final class Denied {
        static void work() {
            write(System.getProperty("out"), "ran");
        }

        static void workWith(String label) {
            write(System.getProperty("out"), "ran with " + label);
        }
    }

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    private String run(SerializableRunnable target, String out) {
        ChildProcess p = ctx.process(target).jvmOptions("-Dout=" + out).name("shape-child").start();
        p.join();
        assertThat(p.exitCode()).as(p.stderrTail()).hasValue(0);
        return read(Path.of(out));
    }

    @Test
    void aLambdaOrStaticMethodThatCapturesNothingRunsInTheChild() {
        assertThat(run(ChildTargetsIT::writeToOut, out("static"))).isEqualTo("static method of shape-child");
        assertThat(run(() -> writeToOut(), out("lambda"))).isEqualTo("static method of shape-child");
    }

    @Test
    void aLambdaThatCapturesOneStringOrByteArrayRunsInTheChild() {
        // the shape a child calls directly (DirectLambdaTest shows which path each shape takes)
        String out = out("one-string");
        assertThat(run(() -> write(out, "one string"), out)).isEqualTo("one string");
        byte[] bytes = {4, -5, 6};
        assertThat(run(() -> write(System.getProperty("out"), Arrays.toString(bytes)), out("one-array")))
                .isEqualTo("[4, -5, 6]");
    }

    @Test
    void capturedRawValuesArriveExactly() {
        String out = out("raw");
        int i = -7;
        long l = 1L << 40;
        double d = 0.25;
        boolean b = true;
        String s = "zwölf ✓";
        byte[] bytes = {1, -2, 127};
        String none = null;
        assertThat(run(() -> write(out, i + "|" + l + "|" + d + "|" + b + "|" + s + "|" + Arrays.toString(bytes) + "|"
                + none), out)).isEqualTo("-7|1099511627776|0.25|true|zwölf ✓|[1, -2, 127]|null");
    }

    @Test
    void referencesToInstanceMethodsAndConstructorsAndACapturedThisRunInTheChild() {
        String bound = out("bound");
        assertThat(run(new Holder(bound, "h1")::writeLabel, bound)).isEqualTo("method of h1");
        String self = out("this");
        assertThat(run(new Holder(self, "h2").capturingThis(), self)).isEqualTo("this: h2");
        String constructed = out("constructed");
        assertThat(run(Marker::new, constructed)).isEqualTo("constructed");
    }

    @Test
    void whatATargetThrowsEndsTheChildWithOneAndItsTrace() {
        ChildProcess unchecked = ctx.process(() -> {
            throw new IllegalStateException("unchecked, from the target");
        });
        ChildProcess checked = ctx.process(ChildTargetsIT::throwChecked);
        ChildProcess exits = ctx.process(() -> System.exit(5));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (ChildProcess p : new ChildProcess[] {unchecked, checked, exits}) {
                p.start();
                p.join();
            }
        } finally {
            System.setErr(original);
        }
        assertThat(unchecked.exitCode()).hasValue(1);
        assertThat(checked.exitCode()).hasValue(1);
        assertThat(exits.exitCode()).hasValue(5);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("java.lang.IllegalStateException: unchecked, from the target")
                .contains("java.io.IOException: checked, from the target")
                .contains("at org.multiprocessing4j.ChildTargetsIT.throwChecked");
    }

    @Test
    void theSerialFilterHoldsForATargetCalledDirectly() {
        String out = out("denied");
        // the method's class denied, then the capturing class (which holds a lambda's own method)
        rejected(Denied::work, Denied.class, out);
        rejected(() -> Denied.work(), ChildTargetsIT.class, out);
        String label = "one value";
        rejected(() -> Denied.workWith(label), ChildTargetsIT.class, out);
        assertThat(Path.of(out)).doesNotExist();
    }

    private void rejected(SerializableRunnable target, Class<?> denied, String out) {
        ChildProcess p = ctx.process(target).jvmOptions("-Dout=" + out, "-Dmp4j.serialFilter=!" + denied.getName());
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            p.start();
            assertThatThrownBy(p::join).isInstanceOf(ChildStartException.class)
                    .hasMessageContaining("rejected by the serial filter")
                    .hasMessageContaining(denied.getName());
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void theChildIsInTheProcessTableWhileItRunsAndNotAfter() throws IOException {
        Path table = dir.resolve("ps");
        String out = out("entry");
        ChildProcess p = ctx.process(() -> copyOwnEntry(out)).name("table-child")
                .jvmOptions("-Dmp4j.psDir=" + table).start();
        p.join();
        assertThat(p.exitCode()).as(p.stderrTail()).hasValue(0);
        Properties entry = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(out), StandardCharsets.UTF_8)) {
            entry.load(in);
        }
        assertThat(entry.getProperty("role")).isEqualTo("child");
        assertThat(entry.getProperty("name")).isEqualTo("table-child");
        assertThat(entry.getProperty("parent")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(Long.parseLong(entry.getProperty("registered"))).isPositive();
        assertThat(table.resolve(Long.toString(p.pid()))).as("removed at its exit").doesNotExist();
        try (var left = Files.list(table)) {
            assertThat(left).as("no temporary file left").isEmpty();
        }
    }

    /** In the child: its own entry of the table, copied to {@code out}. */
    private static void copyOwnEntry(String out) {
        Path own = Path.of(System.getProperty("mp4j.psDir"), Long.toString(ProcessHandle.current().pid()));
        try {
            Files.copy(own, Path.of(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
