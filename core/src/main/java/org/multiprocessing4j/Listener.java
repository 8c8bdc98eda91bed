package org.multiprocessing4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.conn.SocketConnection;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.wire.Handshake;

/**
 * Accepts authenticated connections on a TCP or Unix domain socket address: Python's
 * {@code multiprocessing.connection.Listener}.
 *
 * <pre>{@code
 * try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), authkey)) {
 *     SocketAddress where = listener.address();       // give it to the client
 *     try (Connection c = listener.accept()) {
 *         c.send("hello");
 *     }
 * }
 * }</pre>
 *
 * <p>Every connection passes the HMAC challenge in both directions ({@code authkey}) before a single
 * byte of it is read as a message. A peer that fails it (another key, garbage, silence for
 * {@link #HANDSHAKE_TIMEOUT}) makes {@link #accept()} throw {@link AuthenticationException}; the
 * listener keeps serving.
 */
public final class Listener implements AutoCloseable {
    /** How long a peer has to complete the handshake. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ServerSocketChannel server;
    private final byte[] authkey;
    private final SocketAddress address;

    /** Listens on {@code address} (port 0: any free port) with this process's authkey. */
    public Listener(SocketAddress address) {
        this(address, CurrentProcess.authkey());
    }

    /**
     * Listens on {@code address}: an {@link InetSocketAddress} (port 0 picks a free one) or a
     * {@link UnixDomainSocketAddress}.
     */
    public Listener(SocketAddress address, byte[] authkey) {
        Objects.requireNonNull(address, "address");
        this.authkey = requireKey(authkey);
        try {
            this.server = address instanceof UnixDomainSocketAddress
                    ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
            server.bind(address);
            this.address = server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    static byte[] requireKey(byte[] authkey) {
        Objects.requireNonNull(authkey, "authkey");
        if (authkey.length == 0) {
            throw new IllegalArgumentException("authkey is empty");
        }
        return authkey.clone();
    }

    /** Where this listener is bound (with the port chosen, for port 0). */
    public SocketAddress address() {
        return address;
    }

    /**
     * Waits for the next peer and authenticates it.
     *
     * @throws AuthenticationException if that peer failed the handshake (the listener keeps serving)
     * @throws UncheckedIOException if the listener itself is closed or broken
     */
    public Connection accept() {
        SocketChannel channel;
        try {
            channel = server.accept();
        } catch (IOException e) {
            throw new UncheckedIOException("the listener on " + address + " cannot accept: " + e.getMessage(), e);
        }
        return authenticate(channel, authkey, true);
    }

    static Connection authenticate(SocketChannel channel, byte[] authkey, boolean server) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // A silent peer: closing the channel unblocks the handshake's read.
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .thenRun(() -> {
                    if (!done.isDone()) {
                        closeQuietly(channel);
                    }
                });
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            if (server) {
                Handshake.server(in, out, authkey);
            } else {
                Handshake.client(in, out, authkey);
            }
            done.complete(null);
            watchdog.cancel(false);
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

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            if (address instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
