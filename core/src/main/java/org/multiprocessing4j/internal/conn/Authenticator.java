package org.multiprocessing4j.internal.conn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.internal.wire.Handshake;

/**
 * Runs the {@link Handshake} on a fresh socket and makes it a {@link SocketConnection}; a peer that
 * fails it, or stays silent for {@link #TIMEOUT}, is an {@link AuthenticationException} and the
 * socket is closed. A TCP socket gets {@code TCP_NODELAY} (Unix sockets have no Nagle algorithm).
 */
public final class Authenticator {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Authenticator() {}

    public static SocketConnection authenticate(SocketChannel channel, byte[] authkey, boolean server) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // A silent peer: closing the channel unblocks the handshake's read.
        CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .thenRun(() -> {
                    if (!done.isDone()) {
                        closeQuietly(channel);
                    }
                });
        try {
            if (channel.getLocalAddress() instanceof InetSocketAddress) { // a Unix socket has no such option
                // Messages are request and reply: one that is written in two parts (a frame over the
                // stream's buffer) must not wait for the peer's delayed ACK before its last segment goes.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            if (server) {
                Handshake.server(in, out, authkey);
            } else {
                Handshake.client(in, out, authkey);
            }
            done.complete(null);
            return new SocketConnection(channel, in, out);
        } catch (IOException | SecurityException e) {
            done.complete(null);
            closeQuietly(channel);
            if (e instanceof AuthenticationException a) {
                throw a;
            }
            AuthenticationException failure = new AuthenticationException("the peer did not complete the handshake: " + e);
            failure.initCause(e);
            throw failure;
        }
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }
}
