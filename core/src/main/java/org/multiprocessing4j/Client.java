package org.multiprocessing4j;

import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.spi.LocalBackend;

/** Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client}. */
public final class Client {
    private Client() {}

    /** Connects with this process's authkey. */
    public static Connection connect(SocketAddress address) {
        return connect(address, LocalBackend.get().authkey());
    }

    /**
     * Connects to {@code address} and authenticates both ways with {@code authkey}, within
     * {@link Listener#HANDSHAKE_TIMEOUT}.
     *
     * @throws AuthenticationException if the listener holds another key, or does not complete the handshake
     * @throws UncheckedIOException if nothing listens there, or no connection was made in time
     */
    public static Connection connect(SocketAddress address, byte[] authkey) {
        return connect(address, authkey, Listener.HANDSHAKE_TIMEOUT);
    }

    /**
     * Connects to {@code address} and authenticates both ways with {@code authkey}; connecting and the
     * handshake together may take up to {@code timeout}.
     *
     * @throws AuthenticationException if the listener holds another key, or does not complete the
     *         handshake within {@code timeout}
     * @throws UncheckedIOException if nothing listens there, or (its cause a
     *         {@link java.net.SocketTimeoutException}) no connection was made within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static Connection connect(SocketAddress address, byte[] authkey, Duration timeout) {
        return connect(address, authkey, timeout, Listener.MAX_MESSAGE_BYTES);
    }

    /**
     * As {@link #connect(SocketAddress, byte[], Duration)}; the connection refuses a message over
     * {@code maxMessageBytes}: {@code recv} throws {@link UncheckedIOException} and the connection ends.
     *
     * @throws IllegalArgumentException if {@code timeout} or {@code maxMessageBytes} is not positive
     */
    public static Connection connect(SocketAddress address, byte[] authkey, Duration timeout, int maxMessageBytes) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return LocalBackend.get().connect(address, Listener.requireKey(authkey), timeout,
                Listener.requireMaxMessage(maxMessageBytes));
    }
}
