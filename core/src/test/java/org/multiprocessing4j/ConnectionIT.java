package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener and Client between real processes: authentication first, messages whole, garbage refused. */
class ConnectionIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();
    private final byte[] key = "secret key".getBytes();

    @TempDir
    Path dir;

    @Test
    void aChildConnectsSendsAndReceives() throws Exception {
        byte[] authkey = key;
        try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), authkey)) {
            InetSocketAddress where = (InetSocketAddress) listener.address();
            String host = where.getHostString();
            int port = where.getPort();
            ChildProcess child = ctx.process(() -> {
                try (Connection c = Client.connect(new InetSocketAddress(host, port), authkey)) {
                    c.send("hello from " + ProcessHandle.current().pid());
                    c.send(List.of(1, 2, 3));
                    Object reply = c.recv();
                    c.send("got " + reply);
                    c.sendBytes(new byte[] {1, 2, 3});
                }
            }).start();
            try (Connection c = listener.accept()) {
                assertThat(c.recv()).isEqualTo("hello from " + child.pid());
                assertThat(c.recv()).isEqualTo(List.of(1, 2, 3));
                c.send(42);
                assertThat(c.recv()).isEqualTo("got 42");
                assertThat(c.recvBytes()).containsExactly(1, 2, 3);
                assertThatThrownBy(c::recv).as("the child closed its end")
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
                assertThatThrownBy(c::recv).as("and stays at end of file").hasCauseInstanceOf(EOFException.class);
            }
            child.join();
            assertThat(child.exitCode()).hasValue(0);
        }
    }

    @Test
    void aWrongKeyIsRefusedOnBothSidesAndTheListenerKeepsServing() throws Exception {
        try (Listener listener = new Listener(UnixDomainSocketAddress.of(dir.resolve("l.sock")), key)) {
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(listener::accept);
            assertThatThrownBy(() -> Client.connect(listener.address(), "another key".getBytes()))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(accepted).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                    .withCauseInstanceOf(AuthenticationException.class);
            CompletableFuture<Connection> next = CompletableFuture.supplyAsync(listener::accept);
            try (Connection client = Client.connect(listener.address(), key); Connection server = next.get(30, TimeUnit.SECONDS)) {
                client.send("still serving");
                assertThat(server.recv()).isEqualTo("still serving");
            }
        }
    }

    @Test
    void garbageBeforeTheHandshakeIsRefusedAndNothingIsRead() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), key)) {
            InetSocketAddress where = (InetSocketAddress) listener.address();
            Random random = new Random(7);
            byte[] noise = new byte[4096];
            random.nextBytes(noise);
            List<byte[]> attacks = List.of(
                    new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // a 2 GiB length prefix
                    new byte[] {0, 0, 0, 100, 1, 2, 3},                       // a truncated frame
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(),
                    noise);
            for (byte[] attack : attacks) {
                CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(listener::accept);
                try (Socket socket = new Socket(where.getAddress(), where.getPort())) {
                    OutputStream out = socket.getOutputStream();
                    socket.getInputStream().readNBytes(4 + 11 + 32); // the challenge
                    out.write(attack);
                    out.flush();
                    socket.shutdownOutput();
                    assertThat(accepted).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                            .withCauseInstanceOf(AuthenticationException.class);
                }
            }
            CompletableFuture<Connection> next = CompletableFuture.supplyAsync(listener::accept);
            try (Connection client = Client.connect(where, key); Connection server = next.get(30, TimeUnit.SECONDS)) {
                server.send("after the attacks");
                assertThat(client.recv()).isEqualTo("after the attacks");
            }
        }
    }

    @Test
    void pollAndWaitAnySayWhatCanBeReceived() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), key)) {
            CompletableFuture<Connection> a = CompletableFuture.supplyAsync(listener::accept);
            Connection clientA = Client.connect(listener.address(), key);
            Connection serverA = a.get(30, TimeUnit.SECONDS);
            CompletableFuture<Connection> b = CompletableFuture.supplyAsync(listener::accept);
            Connection clientB = Client.connect(listener.address(), key);
            Connection serverB = b.get(30, TimeUnit.SECONDS);
            try {
                assertThat(serverA.poll(Duration.ofMillis(20))).isFalse();
                assertThat(Connection.waitAny(List.of(serverA, serverB), Duration.ofMillis(20))).isEmpty();
                clientB.send("b");
                assertThat(Connection.waitAny(List.of(serverA, serverB), Duration.ofSeconds(30))).containsExactly(serverB);
                assertThat(serverB.poll(Duration.ZERO)).isTrue();
                assertThat(serverB.recv()).isEqualTo("b");
                assertThatThrownBy(() -> clientA.send(new Object())).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("java.lang.Object");
                clientA.send("still usable");
                assertThat(serverA.recv()).isEqualTo("still usable");
            } finally {
                for (Connection c : List.of(clientA, serverA, clientB, serverB)) {
                    c.close();
                }
            }
            assertThatThrownBy(() -> serverA.send("x")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new Listener(null, key)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Listener(new InetSocketAddress("127.0.0.1", 0), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Client.connect(UnixDomainSocketAddress.of(dir.resolve("nobody.sock")), key))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot connect");
        assertThat(Files.exists(dir.resolve("nobody.sock"))).isFalse();
    }
}
