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
import java.util.concurrent.CountDownLatch;
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
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Authenticator() {}

    public static SocketConnection authenticate(SocketChannel channel, byte[] authkey, boolean server) {
        CountDownLatch done = new CountDownLatch(1);
        // A silent peer: closing the channel unblocks the handshake's read. A platform thread of its
        // own rather than CompletableFuture.delayedExecutor: in a child that connects once, the
        // common pool and its delay scheduler cost more to start (milliseconds) than the handshake.
        Thread.ofPlatform().daemon().name("mp4j-handshake-timeout").start(() -> {
            try {
                if (!done.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
                    closeQuietly(channel);
                }
            } catch (InterruptedException ignored) {
                // nobody interrupts it
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
            return new SocketConnection(channel, in, out);
        } catch (IOException | SecurityException e) {
            closeQuietly(channel);
            if (e instanceof AuthenticationException a) {
                throw a;
            }
            AuthenticationException failure = new AuthenticationException("the peer did not complete the handshake: " + e);
            failure.initCause(e);
            throw failure;
        } finally {
            done.countDown();
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
