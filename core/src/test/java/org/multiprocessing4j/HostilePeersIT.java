package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Peers that connect and say nothing, as anyone who can reach the port may: they delay no one who
 * holds the key, on a {@link Listener} and on a manager server.
 */
class HostilePeersIT extends ProcessTestSupport {
    private static final int SILENT = 200;
    private final byte[] key = "hostile peers key".getBytes();

    /** Opens {@code count} connections to {@code address} that never send a byte. */
    private static List<SocketChannel> silentPeers(SocketAddress address, int count) throws IOException {
        List<SocketChannel> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel peer = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            peer.connect(address);
            peers.add(peer);
        }
        return peers;
    }

    private static void closeAll(List<SocketChannel> peers) {
        for (SocketChannel peer : peers) {
            try {
                peer.close();
            } catch (IOException ignored) {
                // closed is closed
            }
        }
    }

    @Test
    void twoHundredSilentPeersDoNotKeepAClientWithTheKeyOut() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), key)) {
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
                while (true) {
                    try {
                        return listener.accept();
                    } catch (AuthenticationException silentPeerDropped) {
                        // a silent peer closed to make room: the next
                    }
                }
            });
            List<SocketChannel> silent = silentPeers(listener.address(), SILENT);
            try {
                InetSocketAddress where = (InetSocketAddress) listener.address();
                String host = where.getHostString();
                int port = where.getPort();
                byte[] authkey = key;
                ChildProcess child = Multiprocessing.local().process(() -> {
                    try (Connection c = Client.connect(new InetSocketAddress(host, port), authkey)) {
                        c.send("through the crowd");
                        c.recv(); // the reply: the listener's side has read the message
                    }
                }).start();
                try (Connection c = accepted.get(60, TimeUnit.SECONDS)) {
                    assertThat(c.recv()).isEqualTo("through the crowd");
                    c.send("ok");
                }
                child.join();
                assertThat(child.exitCode()).hasValue(0);
            } finally {
                closeAll(silent);
            }
        }
    }

    @Test
    void twoHundredSilentPeersDoNotKeepAManagerClientOut() throws Exception {
        try (Manager manager = Multiprocessing.local().manager()) {
            List<SocketChannel> silent = silentPeers(manager.address(), SILENT);
            try {
                CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> {
                    try (Manager again = Manager.connect(manager.address(), CurrentKey.of())) {
                        ConcurrentMap<String, Integer> d = again.dict();
                        d.put("a", 1);
                        return d.get("a");
                    }
                });
                assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            } finally {
                closeAll(silent);
            }
        }
    }

    @Test
    void aClientGivesUpOnAListenerThatNeverAnswers() throws Exception {
        try (ServerSocketChannel mute = ServerSocketChannel.open()) {
            mute.bind(new InetSocketAddress("127.0.0.1", 0)); // never accepts: the kernel completes the connection
            assertThatThrownBy(() -> Client.connect(mute.getLocalAddress(), key, Duration.ofMillis(300)))
                    .isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> Client.connect(new InetSocketAddress("127.0.0.1", 1), key, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageOverTheLimitIsAClearErrorAndEndsThatConnection() throws Exception {
        try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), key, 1000)) {
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(listener::accept);
            try (Connection client = Client.connect(listener.address(), key, Duration.ofSeconds(30), 10);
                 Connection server = accepted.get(60, TimeUnit.SECONDS)) {
                client.sendBytes(new byte[1000]);
                assertThat(server.recvBytes()).hasSize(1000);
                client.sendBytes(new byte[1001]);
                assertThatThrownBy(server::recvBytes).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("1001 bytes refused, the limit is 1000");
                server.sendBytes(new byte[11]);
                assertThatThrownBy(client::recvBytes).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("11 bytes refused, the limit is 10");
            }
        }
        assertThatThrownBy(() -> new Listener(new InetSocketAddress("127.0.0.1", 0), key, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    }

    /** The key of this process, which a manager started from it shares. */
    private static final class CurrentKey {
        static byte[] of() {
            return org.multiprocessing4j.internal.launch.CurrentProcess.authkey();
        }
    }
}
