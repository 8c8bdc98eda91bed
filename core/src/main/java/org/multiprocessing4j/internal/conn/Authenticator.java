package org.multiprocessing4j.internal.conn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
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
 * socket is closed. {@link #connect} puts the connection itself under the same deadline. A TCP socket
 * gets {@code TCP_NODELAY} (Unix sockets have no Nagle algorithm).
 */
public final class Authenticator {
    public static final Duration TIMEOUT = org.multiprocessing4j.Listener.HANDSHAKE_TIMEOUT;

    private Authenticator() {}

    /**
     * The handshake on {@code channel}, within {@link #TIMEOUT}; the connection then receives messages
     * of at most {@code maxMessage} bytes.
     */
    public static SocketConnection authenticate(SocketChannel channel, byte[] authkey, boolean server, int maxMessage) {
        Watchdog watchdog = Watchdog.start(channel, TIMEOUT);
        try {
            return handshake(channel, authkey, server, maxMessage);
        } finally {
            watchdog.done();
        }
    }

    /**
     * Connects to {@code address} and runs the connecting side of the handshake, both within
     * {@code timeout}.
     *
     * @throws UncheckedIOException if nothing listens there, or (its cause a
     *         {@link SocketTimeoutException}) the connection was not made within {@code timeout}
     * @throws AuthenticationException if the peer fails the handshake or does not finish it in time
     */
    public static SocketConnection connect(SocketAddress address, byte[] authkey, Duration timeout, int maxMessage) {
        SocketChannel channel;
        try {
            channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        Watchdog watchdog = Watchdog.start(channel, timeout);
        try {
            try {
                channel.connect(address);
            } catch (IOException e) {
                closeQuietly(channel);
                if (watchdog.fired()) {
                    SocketTimeoutException late = new SocketTimeoutException(
                            "no connection to " + address + " within " + timeout);
                    late.initCause(e);
                    throw new UncheckedIOException(late.getMessage(), late);
                }
                throw new UncheckedIOException("cannot connect to " + address + ": " + e.getMessage(), e);
            }
            return handshake(channel, authkey, false, maxMessage);
        } finally {
            watchdog.done();
        }
    }

    private static SocketConnection handshake(SocketChannel channel, byte[] authkey, boolean server, int maxMessage) {
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
            return new SocketConnection(channel, in, out, maxMessage);
        } catch (IOException | SecurityException e) {
            closeQuietly(channel);
            if (e instanceof AuthenticationException a) {
                throw a;
            }
            AuthenticationException failure = new AuthenticationException("the peer did not complete the handshake: " + e);
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * Closes a channel whose connection or handshake is not done by a deadline: that unblocks the
     * thread waiting in it. A platform thread of its own rather than
     * {@code CompletableFuture.delayedExecutor}: in a child that connects once, the common pool and
     * its delay scheduler cost more to start (milliseconds) than the handshake.
     */
    private static final class Watchdog {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean fired;

        static Watchdog start(SocketChannel channel, Duration timeout) {
            Watchdog watchdog = new Watchdog();
            long nanos = timeout.toNanos();
            Thread.ofPlatform().daemon().name("mp4j-handshake-timeout").stackSize(128 << 10).start(() -> {
                try {
                    if (!watchdog.done.await(nanos, TimeUnit.NANOSECONDS)) {
                        watchdog.fired = true;
                        closeQuietly(channel);
                    }
                } catch (InterruptedException ignored) {
                    // nobody interrupts it
                }
            });
            return watchdog;
        }

        boolean fired() {
            return fired;
        }

        void done() {
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
