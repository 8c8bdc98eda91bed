package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * Pipes when a process dies: a peer killed by SIGKILL while we wait to receive, to send, or in the middle
 * of a message ends the wait with a clear exception, never a hang; and no segment is left under
 * {@code /dev/shm}, whether the ends were closed or their processes killed.
 */
class PipeFailureIT extends ProcessTestSupport {
    private static final int BIG = 64 << 20;
    private final Context ctx = Multiprocessing.local();

    /** The pipe segments under {@code /dev/shm} that process {@code pid} made. */
    private static List<String> pipeSegments(long pid) {
        try (Stream<Path> files = Files.list(Segments.directory())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("mp4j.pipe-" + pid + "-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long self() {
        return ProcessHandle.current().pid();
    }

    @Test
    void bothEndsClosedLeaveNoSegment() {
        List<String> before = pipeSegments(self());
        Pipe pipe = ctx.pipe(true);
        assertThat(pipeSegments(self())).hasSize(before.size() + 1);
        pipe.first().send("x");
        pipe.first().close();
        assertThat(pipeSegments(self())).as("the other end still holds it").hasSize(before.size() + 1);
        pipe.second().close();
        assertThat(pipeSegments(self())).isEqualTo(before);
    }

    @Test
    void aPeerKilledWhileWeWaitToReceiveIsEndOfFile() {
        List<String> before = pipeSegments(self());
        Pipe pipe = ctx.pipe(true);
        Connection childEnd = pipe.second();
        ChildProcess child = ctx.process(() -> {
            childEnd.send("ready");
            sleep(Duration.ofSeconds(120));
        }).start();
        Connection parent = pipe.first();
        assertThat(parent.recv()).isEqualTo("ready");
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(parent::recv);
        child.kill();
        child.join();
        assertThat(waiting).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(UncheckedIOException.class)
                .withCauseInstanceOf(EOFException.class).withMessageContaining("pid " + child.pid());
        parent.close();
        awaitCondition("the pipe's segment removed", Duration.ofSeconds(10), () -> pipeSegments(self()).equals(before));
    }

    @Test
    void aPeerKilledWhileWeWaitToSendBreaksTheConnection() {
        Pipe pipe = ctx.pipe(true);
        Connection childEnd = pipe.second();
        ChildProcess child = ctx.process(() -> {
            childEnd.send("ready, and reading nothing");
            sleep(Duration.ofSeconds(120));
        }).start();
        Connection parent = pipe.first();
        assertThat(parent.recv()).isEqualTo("ready, and reading nothing");
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> parent.sendBytes(new byte[BIG]));
        child.kill();
        child.join();
        assertThat(sending).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(UncheckedIOException.class).withMessageContaining("broken");
        parent.close();
    }

    @Test
    void aPeerKilledInsideAMessageIsABrokenMessageNotAHang() {
        Pipe pipe = ctx.pipe(false);
        Connection tx = pipe.second();
        ChildProcess child = ctx.process(() -> {
            tx.send("ready");
            tx.sendBytes(new byte[BIG]); // the ring fills: blocked inside the message
        }).start();
        Connection rx = pipe.first();
        assertThat(rx.recv()).isEqualTo("ready");
        assertThat(rx.poll(Duration.ofSeconds(30))).as("the big message has begun").isTrue();
        child.kill();
        child.join();
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(rx::recvBytes);
        assertThat(reading).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(UncheckedIOException.class)
                .withMessageContaining("inside a message of " + BIG + " bytes")
                .withCauseInstanceOf(EOFException.class);
        rx.close();
    }

    /** A child that made a pipe is killed: its resource tracker removes the segment. */
    @Test
    void aKilledCreatorLeavesNoSegment() {
        Pipe report = ctx.pipe(false);
        Connection tx = report.second();
        ChildProcess child = ctx.process(() -> {
            Pipe own = Multiprocessing.local().pipe(true);
            own.first().send("kept in a ring nobody reads");
            tx.send("made");
            sleep(Duration.ofSeconds(120));
        }).start();
        assertThat(report.first().recv()).isEqualTo("made");
        assertThat(pipeSegments(child.pid())).hasSize(1);
        child.kill();
        child.join();
        awaitCondition("the killed child's pipe removed", Duration.ofSeconds(10), () -> pipeSegments(child.pid()).isEmpty());
        report.first().close();
    }

    /**
     * A receive interrupted while the rest of its message is not there loses that message, not the
     * stream: the sender is stopped (SIGSTOP) inside a big message, the receive interrupted, the
     * sender continued; the next receive skips what is left of the big message and gets the next one.
     */
    @Test
    void aReceiveInterruptedInsideAMessageLeavesTheNextOneReadable() throws Exception {
        Pipe pipe = ctx.pipe(false);
        Connection tx = pipe.second();
        ChildProcess child = ctx.process(() -> {
            tx.send("ready");
            tx.sendBytes(new byte[BIG]);
            tx.send("next");
        }).start();
        Connection rx = pipe.first();
        assertThat(rx.recv()).isEqualTo("ready");
        assertThat(rx.poll(Duration.ofSeconds(30))).as("the big message has begun").isTrue();
        signal("STOP", child.pid());
        try {
            CompletableFuture<byte[]> receiving = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().start(() -> {
                try {
                    receiving.complete(rx.recvBytes());
                } catch (RuntimeException e) {
                    receiving.completeExceptionally(e);
                }
            });
            awaitCondition("the receive waiting inside the message", Duration.ofSeconds(30),
                    () -> java.util.Arrays.stream(receiver.getStackTrace()).anyMatch(f -> f.getMethodName().equals("consume"))
                            && java.util.Arrays.stream(receiver.getStackTrace()).anyMatch(f -> f.getMethodName().equals("await")));
            receiver.interrupt();
            assertThat(receiving).failsWithin(30, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("interrupted");
        } finally {
            signal("CONT", child.pid());
        }
        assertThat(rx.recv()).as("what is left of the big message is skipped").isEqualTo("next");
        child.join();
        assertThat(child.exitCode()).hasValue(0);
        rx.close();
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
