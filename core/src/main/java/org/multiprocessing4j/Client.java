package org.multiprocessing4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import org.multiprocessing4j.internal.conn.Authenticator;
import org.multiprocessing4j.internal.launch.CurrentProcess;

/** Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client}. */
public final class Client {
    private Client() {}

    /** Connects with this process's authkey. */
    public static Connection connect(SocketAddress address) {
        return connect(address, CurrentProcess.authkey());
    }

    /**
     * Connects to {@code address} and authenticates both ways with {@code authkey}.
     *
     * @throws AuthenticationException if the listener holds another key
     * @throws UncheckedIOException if nothing listens there
     */
    public static Connection connect(SocketAddress address, byte[] authkey) {
        Objects.requireNonNull(address, "address");
        byte[] key = Listener.requireKey(authkey);
        SocketChannel channel;
        try {
            channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            channel.connect(address);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        return Authenticator.authenticate(channel, key, false);
    }
}
