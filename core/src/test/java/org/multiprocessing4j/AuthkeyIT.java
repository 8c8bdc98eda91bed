package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.internal.launch.Bootstrap;
import org.multiprocessing4j.internal.launch.CurrentProcess;

/**
 * The authkey reaches children on their private stdin, never in the environment: what a target starts
 * ({@code env}, any program) does not inherit it, a JVM started with {@code MP4J_AUTHKEY} set does not
 * adopt it, and children of children still share the main process's key.
 */
class AuthkeyIT extends ProcessTestSupport {
    static final String VARIABLE = "MP4J_AUTHKEY";

    @TempDir
    Path dir;

    /**
     * What this process sees of its key in its environment: the variable, and whether {@code env}, run
     * from here, prints the variable or the key itself (in hex, either case).
     */
    static String environmentReport() {
        String hex = HexFormat.of().formatHex(CurrentProcess.authkey());
        try {
            Process env = new ProcessBuilder("env").redirectErrorStream(true).start();
            String out = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            env.waitFor();
            boolean variable = out.lines().anyMatch(line -> line.startsWith(VARIABLE + "="));
            boolean key = out.toLowerCase(Locale.ROOT).contains(hex);
            return "getenv=" + System.getenv(VARIABLE) + " env-variable=" + variable + " env-key=" + key
                    + " env-lines=" + out.lines().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String CLEAN = "getenv=null env-variable=false env-key=false";

    @Test
    void aChildsEnvironmentHasNoKey() throws Exception {
        String report = dir.resolve("report").toString();
        ChildProcess child = Multiprocessing.local().process(() -> write(report, environmentReport())).start();
        child.join();
        assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
        assertThat(read(Path.of(report))).startsWith(CLEAN).doesNotContain("env-lines=0");
    }

    @Test
    void aPoolWorkersEnvironmentHasNoKey() {
        try (ProcessPool pool = Multiprocessing.local().pool(1)) {
            assertThat(pool.apply(AuthkeyIT::environmentReport)).startsWith(CLEAN);
        }
    }

    private static void awaitQuietly(ProcessEvent event) {
        try {
            event.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A grandchild, started by a child, holds the main process's key: it passes the HMAC handshake of a
     * listener here, which uses this process's own key; so does the child. Neither sees the key in its
     * environment.
     */
    @Test
    void childrenOfChildrenAuthenticateWithTheMainProcesssKey() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("main.sock"));
        try (Listener listener = new Listener(address)) {
            CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> {
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    try (Connection c = listener.accept()) {
                        messages.add((String) c.recv());
                    }
                }
                return messages;
            });
            String path = address.getPath().toString();
            ChildProcess child = Multiprocessing.local().process(() -> {
                ChildProcess grandchild = Multiprocessing.local().process(() -> tell(path, "grandchild")).start();
                grandchild.join();
                tell(path, "child, grandchild exit " + grandchild.exitCode().orElse(-99));
            }).start();
            List<String> messages = received.get(90, TimeUnit.SECONDS);
            child.join();
            assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0)).startsWith("grandchild " + CLEAN);
            assertThat(messages.get(1)).startsWith("child, grandchild exit 0 " + CLEAN);
        }
    }

    private static void tell(String socket, String who) {
        try (Connection c = Client.connect(UnixDomainSocketAddress.of(socket))) {
            c.send(who + " " + environmentReport());
        }
    }

    /**
     * Run with {@code MP4J_AUTHKEY} set, and a start method: reports whether it adopted that key, what a
     * child and a pool's worker see, and whether any process it started (children, a worker, a
     * manager's server, the resource tracker, warm spares) has the variable or the key in the
     * environment it was started with ({@code /proc/PID/environ}, which the user's other processes can
     * read). Warm spares live as long as their parent: hence a JVM of its own.
     */
    public static final class StartedWithTheVariable {
        public static void main(String[] args) throws Exception {
            String planted = System.getenv(VARIABLE);
            String own = HexFormat.of().formatHex(CurrentProcess.authkey());
            System.out.println("adopted=" + own.equalsIgnoreCase(planted));
            String report = args[0];
            Context ctx = Multiprocessing.local(StartMethod.valueOf(args[1]));
            ChildProcess child = ctx.process(() -> write(report, environmentReport())).start();
            child.join();
            System.out.println("child " + read(Path.of(report)));
            try (ProcessEvent done = ctx.event();
                    ProcessPool pool = ctx.pool(1);
                    Manager manager = ctx.manager()) {
                System.out.println("worker " + pool.apply(AuthkeyIT::environmentReport));
                ChildProcess waiting = ctx.process(() -> awaitQuietly(done)).start();
                manager.dict().put("k", "v");
                List<ProcessHandle> started = ProcessHandle.current().descendants().toList();
                int clean = 0;
                for (ProcessHandle process : started) {
                    Path environ = Path.of("/proc", Long.toString(process.pid()), "environ");
                    String env;
                    try {
                        env = new String(Files.readAllBytes(environ), StandardCharsets.ISO_8859_1);
                    } catch (IOException ended) {
                        continue; // it ended meanwhile
                    }
                    if (env.isEmpty() || env.contains(VARIABLE + "=") || env.toLowerCase(Locale.ROOT).contains(own)) {
                        System.out.println("key in the environment of " + process.pid() + " "
                                + process.info().commandLine().orElse("?"));
                    } else {
                        clean++;
                    }
                }
                System.out.println("clean environments " + clean + " of " + started.size());
                done.set();
                waiting.join();
            }
        }
    }

    private static final String PLANTED = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void aJvmStartedWithTheVariableDoesNotAdoptItNorPassItOn(StartMethod method) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaCommand(StartedWithTheVariable.class.getName(),
                dir.resolve("report").toString(), method.name())).redirectErrorStream(true);
        builder.environment().put(VARIABLE, PLANTED);
        String out = run(builder, null);
        assertThat(out).contains("adopted=false");
        assertThat(out).contains("child " + CLEAN).contains("worker " + CLEAN).doesNotContain("key in the environment");
        java.util.regex.Matcher counts = java.util.regex.Pattern.compile("clean environments (\\d+) of (\\d+)").matcher(out);
        assertThat(counts.find()).as(out).isTrue();
        assertThat(counts.group(1)).isEqualTo(counts.group(2));
        assertThat(Integer.parseInt(counts.group(1))).as("a child, a worker, a server at least").isGreaterThanOrEqualTo(3);
    }

    /** The bootstrap refuses a stdin that does not start with a key, whatever the environment says. */
    @Test
    void theBootstrapStartedByHandRefusesToRun() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaCommand(Bootstrap.class.getName(), "child"))
                .redirectErrorStream(true);
        builder.environment().put(VARIABLE, "00112233445566778899aabbccddeeff");
        Process jvm = builder.start();
        try (OutputStream in = jvm.getOutputStream()) {
            in.write("not a key, not a frame\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("not by hand");
    }

    private static List<String> javaCommand(String main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.aot=false",
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return command;
    }

    private static String run(ProcessBuilder builder, byte[] stdin) throws Exception {
        Process jvm = builder.start();
        try (OutputStream in = jvm.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!jvm.waitFor(90, TimeUnit.SECONDS)) {
            jvm.descendants().forEach(ProcessHandle::destroyForcibly);
            jvm.destroyForcibly();
            throw new AssertionError("did not end:\n" + out.getNow(""));
        }
        String text = out.get(10, TimeUnit.SECONDS);
        assertThat(jvm.exitValue()).as(text).isZero();
        return text;
    }
}
