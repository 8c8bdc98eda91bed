package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One interrupt rule on every transport ({@code docs/connections.md}): a call that has to wait ends,
 * {@code recv} with {@link IllegalStateException} caused by {@link InterruptedException} and {@code poll}
 * with false, the interrupt status kept, the connection open and nothing lost; a call that need not
 * wait is not affected; a {@code send} by an interrupted thread sends nothing. The other end is an echo
 * in a child process, on a pipe and on a socket.
 */
class ConnectionInterruptIT extends ProcessTestSupport {
    private static final byte[] KEY = "interrupt key".getBytes();
    private final Context ctx = Multiprocessing.local();

    /** This process's end, and the child echoing every message on the other end until it closes. */
    private record Echo(Connection mine, ChildProcess child, AutoCloseable listener) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            mine.close();
            child.join();
            assertThat(child.exitCode()).as(child.toString()).hasValue(0);
            if (listener != null) {
                listener.close();
            }
        }
    }

    private static void echo(Connection c) {
        try (c) {
            while (true) {
                Object m = c.recv();
                c.send("echo " + m);
            }
        } catch (UncheckedIOException endOfFile) {
            // the parent closed its end
        }
    }

    private Echo echo(String transport) {
        if (transport.equals("pipe")) {
            Pipe pipe = ctx.pipe(true);
            Connection theirs = pipe.second();
            ChildProcess child = ctx.process(() -> echo(theirs)).start();
            theirs.close();
            return new Echo(pipe.first(), child, null);
        }
        Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), KEY);
        int port = ((InetSocketAddress) listener.address()).getPort();
        byte[] key = KEY;
        ChildProcess child = ctx.process(() -> echo(Client.connect(new InetSocketAddress("127.0.0.1", port), key)))
                .start();
        return new Echo(listener.accept(), child, listener);
    }

    private static <T> CompletableFuture<T> onOwnThread(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, r -> Thread.ofPlatform().daemon().start(r));
    }

    private static void roundTripWorks(Connection c, String what) {
        c.send(what);
        assertThat(c.recv()).isEqualTo("echo " + what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "socket"})
    void aWaitingRecvIsInterruptedAndTheConnectionLosesNothing(String transport) throws Exception {
        try (Echo e = echo(transport)) {
            roundTripWorks(e.mine(), "first"); // the child is up
            CountDownLatch receiving = new CountDownLatch(1);
            Thread[] receiver = new Thread[1];
            CompletableFuture<String> outcome = onOwnThread(() -> {
                receiver[0] = Thread.currentThread();
                receiving.countDown();
                try {
                    return "returned " + e.mine().recv();
                } catch (IllegalStateException ex) {
                    return ex.getCause().getClass().getSimpleName() + ", still interrupted: "
                            + Thread.currentThread().isInterrupted();
                }
            });
            receiving.await();
            receiver[0].interrupt();
            assertThat(outcome.get(60, SECONDS)).isEqualTo("InterruptedException, still interrupted: true");
            roundTripWorks(e.mine(), "after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "socket"})
    void anInterruptedThreadStillReceivesAMessageThatIsThereButDoesNotWait(String transport) throws Exception {
        try (Echo e = echo(transport)) {
            e.mine().send("here");
            assertThat(e.mine().poll(Duration.ofSeconds(60))).isTrue();
            Thread.currentThread().interrupt();
            try {
                assertThat(e.mine().poll(Duration.ofSeconds(60))).isTrue();
                assertThat(e.mine().recv()).isEqualTo("echo here");
                assertThatThrownBy(() -> e.mine().recv()).isInstanceOf(IllegalStateException.class)
                        .hasCauseInstanceOf(InterruptedException.class);
                assertThat(e.mine().poll(Duration.ofSeconds(60))).isFalse();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            roundTripWorks(e.mine(), "after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "socket"})
    void aWaitingPollReturnsFalseWhenInterruptedKeepingTheStatus(String transport) throws Exception {
        try (Echo e = echo(transport)) {
            roundTripWorks(e.mine(), "first");
            CountDownLatch polling = new CountDownLatch(1);
            Thread[] poller = new Thread[1];
            CompletableFuture<String> outcome = onOwnThread(() -> {
                poller[0] = Thread.currentThread();
                polling.countDown();
                boolean ready = e.mine().poll(Duration.ofSeconds(100));
                return ready + ", still interrupted: " + Thread.currentThread().isInterrupted();
            });
            polling.await();
            poller[0].interrupt();
            assertThat(outcome.get(60, SECONDS)).isEqualTo("false, still interrupted: true");
            roundTripWorks(e.mine(), "after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "socket"})
    void aSendByAnInterruptedThreadSendsNothing(String transport) throws Exception {
        try (Echo e = echo(transport)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> e.mine().send("lost")).isInstanceOf(IllegalStateException.class)
                        .hasCauseInstanceOf(InterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            roundTripWorks(e.mine(), "sent"); // "echo lost" never comes: nothing was sent
        }
    }
}
