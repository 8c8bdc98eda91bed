package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mp4j ps} against a running program with a pool, a manager and a child: each is found with its
 * role and its parent, the program's segments are listed, and once the program has ended the table is
 * empty. The program and the command share a private process table ({@code -Dmp4j.psDir}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PsCommandIT {
    @TempDir
    Path table;

    private List<String> java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false", "-Dmp4j.psDir=" + table,
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private String run(Class<?> main, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(main, args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void findsTheProgramItsPoolWorkerManagerAndChildWithTheirSegments() throws Exception {
        Process program = new ProcessBuilder(java(PsSubject.class)).redirectErrorStream(true).start();
        String childPid;
        String event;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8));
            String ready;
            while ((ready = out.readLine()) != null && !ready.startsWith("ready ")) {
                // the program's other output
            }
            assertThat(ready).as("the program's ready line").isNotNull();
            String[] words = ready.split(" ");
            childPid = words[1];
            event = words[2];

            List<Map<String, Object>> roots = new Gson().fromJson(run(Main.class, "ps", "--json"), List.class);
            Map<String, Object> root = roots.stream().filter(r -> pid(r) == program.pid()).findFirst()
                    .orElseThrow(() -> new AssertionError("no tree for the program " + program.pid() + ": " + roots));
            assertThat(root.get("role")).isEqualTo("program");
            assertThat((List<String>) root.get("segments")).as("the program's segments").contains(event);
            List<Map<String, Object>> children = (List<Map<String, Object>>) root.get("children");
            assertThat(children).extracting(c -> c.get("role"))
                    .contains("pool worker", "manager server", "child", "resource tracker");
            Map<String, Object> waiter = children.stream().filter(c -> "waiter".equals(c.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no child named waiter: " + children));
            assertThat(pid(waiter)).isEqualTo(Long.parseLong(childPid));
            assertThat(waiter.get("role")).isEqualTo("child");
            assertThat((List<String>) waiter.get("segments")).as("the child's segments").contains(event);
            assertThat(((Number) waiter.get("rss_bytes")).longValue()).isPositive();

            String text = run(Main.class, "ps");
            assertThat(text).contains("PID", "ROLE", program.pid() + " ", "program", "└─ ", "waiter");
        } finally {
            program.getOutputStream().close();
            if (!program.waitFor(60, TimeUnit.SECONDS)) {
                program.destroyForcibly();
                throw new AssertionError("the program did not exit when its stdin closed");
            }
        }
        assertThat(program.exitValue()).isZero();
        // Its children exit with it; the resource tracker lingers until its segments are gone.
        assertThat(run(Main.class, "ps")).doesNotContain(" program ");
    }

    private static long pid(Map<String, Object> node) {
        return ((Number) node.get("pid")).longValue();
    }
}
