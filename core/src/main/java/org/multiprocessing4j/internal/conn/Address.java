package org.multiprocessing4j.internal.conn;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * Where a socket listens, as text: the one parser and the two forms of a manager's (or any
 * listener's) address. Parses {@code HOST:PORT}, {@code tcp:HOST:PORT} and {@code unix:PATH};
 * {@link #toString()} is the form a user types and reads ({@code HOST:PORT} or {@code unix:PATH}),
 * {@link #key()} the form with its scheme, under which proxies name their manager
 * ({@code tcp:HOST:PORT} or {@code unix:PATH}).
 */
public record Address(SocketAddress socketAddress) {
    private static final String TCP = "tcp:";
    private static final String UNIX = "unix:";

    /** @throws IllegalArgumentException if it is neither a TCP nor a Unix domain socket address */
    public Address {
        Objects.requireNonNull(socketAddress, "socketAddress");
        if (!(socketAddress instanceof InetSocketAddress) && !(socketAddress instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("not a TCP or Unix socket address: " + socketAddress);
        }
    }

    /**
     * The address {@code text} names.
     *
     * @throws IllegalArgumentException naming {@code text} if it is not {@code HOST:PORT},
     *         {@code tcp:HOST:PORT} or {@code unix:PATH}, or the port is not 0 to 65535
     */
    public static Address parse(String text) {
        Objects.requireNonNull(text, "address");
        if (text.startsWith(UNIX)) {
            String path = text.substring(UNIX.length());
            if (path.isEmpty()) {
                throw invalid(text, "the path is empty");
            }
            return new Address(UnixDomainSocketAddress.of(path));
        }
        String hostPort = text.startsWith(TCP) ? text.substring(TCP.length()) : text;
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw invalid(text, colon < 0 ? "no port" : "no host");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(text, "the port is not a number");
        }
        if (port < 0 || port > 0xFFFF) {
            throw invalid(text, "the port is not 0 to 65535");
        }
        return new Address(new InetSocketAddress(hostPort.substring(0, colon), port));
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("an address is HOST:PORT, tcp:HOST:PORT or unix:PATH; " + why + " in '"
                + text + "'");
    }

    /** With its scheme: {@code tcp:HOST:PORT} or {@code unix:PATH}. */
    public String key() {
        return socketAddress instanceof UnixDomainSocketAddress ? toString() : TCP + toString();
    }

    /** As a user types it: {@code HOST:PORT} or {@code unix:PATH}. */
    @Override
    public String toString() {
        if (socketAddress instanceof UnixDomainSocketAddress unix) {
            return UNIX + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) socketAddress;
        return inet.getHostString() + ":" + inet.getPort();
    }
}
