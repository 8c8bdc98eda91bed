package org.multiprocessing4j.internal.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.proc.PrivateDirs;
import org.multiprocessing4j.internal.proc.Sweeper;
import org.multiprocessing4j.internal.wire.Handshake;

/**
 * The Unix domain socket a pool's workers connect to. It lives in a directory only this user can
 * enter ({@link PrivateDirs}: {@code rwx------}, named after this JVM's pid), which is removed when the
 * pool terminates; one left by a JVM that was killed is removed by the next JVM's first such directory.
 *
 * <p>Every connection passes the {@link Handshake} before anything it sends is read as a message.
 */
final class PoolServer implements AutoCloseable {
    /** What the pool does with an authenticated connection. */
    interface Acceptor {
        void accepted(SocketChannel channel, DataInputStream in, DataOutputStream out);
    }

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;

    PoolServer(String name, Acceptor acceptor) throws IOException {
        this.dir = PrivateDirs.create("pool");
        this.socket = dir.resolve(name + ".sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().name("mp4j-" + name + "-accept").start(() -> acceptLoop(acceptor));
    }

    String path() {
        return socket.toString();
    }

    /** A file of this pool's in its private directory (removed with it). */
    java.nio.file.Path file(String name) {
        return dir.resolve(name);
    }

    private void acceptLoop(Acceptor acceptor) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("mp4j-handshake").start(() -> authenticate(channel, acceptor));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void authenticate(SocketChannel channel, Acceptor acceptor) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            Handshake.server(in, out, CurrentProcess.authkey());
            acceptor.accepted(channel, in, out);
        } catch (IOException | SecurityException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do with a peer we do not trust
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Sweeper.TREE.remove(dir);
        } catch (IOException e) {
            // a JVM started after this one ends removes it (PrivateDirs)
        }
    }
}
