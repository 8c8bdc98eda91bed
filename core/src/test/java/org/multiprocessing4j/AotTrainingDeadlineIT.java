package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * The AOT cache's training JVM has no parent watch; a rehearsal that never returns (an untimed take
 * with nobody putting) must not keep it for ever: its hard deadline halts it.
 */
class AotTrainingDeadlineIT extends ProcessTestSupport {
    @Test
    void aTrainingRunThatNeverEndsIsHaltedAtItsDeadline() throws Exception {
        SerializableRunnable stuck = () -> {
            try {
                new CountDownLatch(1).await(); // as a take that nothing will ever answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Method encode = ChildProcess.class.getDeclaredMethod("encode");
        encode.setAccessible(true);
        byte[] request = (byte[]) encode.invoke(new ChildProcess(stuck));

        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dmp4j.aotTrainingSeconds=2", "-cp", System.getProperty("java.class.path"),
                "org.multiprocessing4j.internal.launch.Bootstrap", "train"));
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process training = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(training.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        Method handKey = Class.forName("org.multiprocessing4j.internal.launch.KeyHandoff")
                .getDeclaredMethod("write", OutputStream.class, byte[].class);
        handKey.setAccessible(true);
        try (OutputStream control = training.getOutputStream()) {
            handKey.invoke(null, control, CurrentProcess.authkey()); // the key first, as the launcher sends it
            Frames.write(control, CurrentProcess.authkey(), request);
        }

        boolean ended = training.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            training.destroyForcibly();
        }
        assertThat(ended).as("the training JVM ended by itself; stderr: " + err.getNow("")).isTrue();
        assertThat(training.exitValue()).as(err.get()).isEqualTo(124);
        assertThat(err.get()).contains("not done after 2 s").contains("halted");
    }
}
