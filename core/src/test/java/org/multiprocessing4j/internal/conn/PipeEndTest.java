package org.multiprocessing4j.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring's framing under load, in one JVM: a writer thread and a reader thread pass messages of
 * random sizes (most small, some larger than the ring) through a pipe, and every byte is checked.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeEndTest {

    private static byte[] message(int index, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (index * 31 + i);
        }
        return b;
    }

    private static int size(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 80) {
            return random.nextInt(64);
        }
        if (kind < 97) {
            return random.nextInt(70_000);
        }
        return random.nextInt(3 * ShmPipe.CAPACITY);
    }

    @Test
    void randomSizesPassIntactBetweenTwoThreads() throws Exception {
        PipeEnd[] ends = PipeEnd.pipe(false);
        int count = 20_000;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < count; i++) {
                ends[1].sendBytes(message(i, size(random)));
            }
            ends[1].close();
        });
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < count; i++) {
            byte[] expected = message(i, size(random));
            byte[] got = ends[0].recvBytes();
            if (!Arrays.equals(got, expected)) {
                throw new AssertionError("message " + i + ": " + got.length + " bytes, expected " + expected.length);
            }
        }
        writer.get(60, TimeUnit.SECONDS);
        assertThatThrownBy(ends[0]::recvBytes).hasCauseInstanceOf(EOFException.class);
        ends[0].close();
    }

    @Test
    void pollWaitsForAMessageAndTimesOut() throws Exception {
        PipeEnd[] ends = PipeEnd.pipe(true);
        assertThat(ends[0].poll(Duration.ZERO)).isFalse();
        assertThat(ends[0].poll(Duration.ofMillis(30))).isFalse();
        CompletableFuture<Boolean> polled = CompletableFuture.supplyAsync(() -> ends[0].poll(Duration.ofSeconds(60)));
        ends[1].send(7);
        assertThat(polled.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ends[0].recv()).isEqualTo(7);
        ends[0].close();
        ends[1].close();
    }

    @Test
    void aCloseHereEndsAReceiveBlockedInAnotherThread() throws Exception {
        PipeEnd[] ends = PipeEnd.pipe(true);
        CompletableFuture<Object> receiving = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().start(() -> {
            try {
                receiving.complete(ends[0].recv());
            } catch (RuntimeException e) {
                receiving.completeExceptionally(e);
            }
        });
        while (Arrays.stream(receiver.getStackTrace()).noneMatch(f -> f.getMethodName().equals("awaitData"))) {
            Thread.onSpinWait(); // until the receive waits for data
        }
        ends[0].close();
        assertThat(receiving).failsWithin(60, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("closed while receiving");
        ends[1].close();
    }

    @Test
    void badArgumentsAndOneWayMisuseAreRefused() {
        PipeEnd[] ends = PipeEnd.pipe(false);
        assertThatThrownBy(() -> ends[1].sendBytes(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ends[0].send(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ends[1]::recv).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ends[1].send(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        ends[1].send("still usable");
        assertThat(ends[0].recv()).isEqualTo("still usable");
        ends[0].close();
        ends[1].close();
    }

    @Test
    void aMessageOverTheLimitIsRefusedAndSkipped() {
        PipeEnd[] ends = PipeEnd.pipe(false);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            ends[1].sendBytes(new byte[3 * ShmPipe.CAPACITY]);
            ends[1].sendBytes(new byte[] {1, 2, 3});
        });
        assertThatThrownBy(() -> ends[0].recvBytes(1000)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("refused");
        assertThat(ends[0].recvBytes(1000)).containsExactly(1, 2, 3);
        assertThat(writer).succeedsWithin(60, TimeUnit.SECONDS);
        ends[0].close();
        ends[1].close();
    }

    /** An interrupt ends a send that waits for room; one that stopped inside its message breaks the stream. */
    @Test
    void aSendInterruptedInsideItsMessageBreaksLaterSends() throws Exception {
        PipeEnd[] ends = PipeEnd.pipe(false);
        CompletableFuture<Void> sending = new CompletableFuture<>();
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                ends[1].sendBytes(new byte[3 * ShmPipe.CAPACITY]); // nobody reads: it waits for room
                sending.complete(null);
            } catch (RuntimeException e) {
                sending.completeExceptionally(e);
            }
        });
        while (Arrays.stream(sender.getStackTrace()).noneMatch(f -> f.getMethodName().equals("room"))) {
            Thread.onSpinWait(); // until the send waits for room
        }
        sender.interrupt();
        assertThat(sending).failsWithin(60, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("interrupted while sending");
        assertThatThrownBy(() -> ends[1].send("next")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside its message");
        ends[1].close();
        assertThatThrownBy(ends[0]::recvBytes).hasMessageContaining("inside a message of " + 3 * ShmPipe.CAPACITY);
        ends[0].close();
    }
}
