package org.multiprocessing4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.internal.conn.Authenticator;
import org.multiprocessing4j.internal.launch.CurrentProcess;

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
    public static final Duration HANDSHAKE_TIMEOUT = Authenticator.TIMEOUT;

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
        return Authenticator.authenticate(channel, authkey, true);
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
