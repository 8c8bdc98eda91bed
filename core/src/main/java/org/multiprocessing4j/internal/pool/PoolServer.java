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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.proc.Sweeper;
import org.multiprocessing4j.internal.wire.Handshake;

/**
 * The Unix domain socket a pool's workers connect to. It lives in a directory only this user can
 * enter ({@code rwx------}), named after this JVM's pid, which is removed when the pool terminates;
 * directories left by JVMs that were killed are removed when the next JVM starts its first pool.
 *
 * <p>Every connection passes the {@link Handshake} before anything it sends is read as a message.
 */
final class PoolServer implements AutoCloseable {
    private static final String PREFIX = "mp4j-";
    /** {@code mp4j-PID-*} directories whose JVM is gone (it was killed before it could remove its own). */
    private static final Sweeper STALE_DIRECTORIES = new Sweeper(name -> name.startsWith(PREFIX),
            Sweeper.both((dir, name) -> Files.isDirectory(dir), Sweeper.ownerGone(name -> Long.parseLong(name.split("-")[1]))),
            Sweeper.TREE);

    /**
     * Whether this JVM has swept the temporary directory: once, at its first pool, on a thread of its
     * own. Listing it took a pool's creation 4–13 ms on a machine whose {@code /tmp} held 950 entries.
     * A JVM killed while this one runs leaves its directory to the next JVM's first pool (a few bytes:
     * an unbound socket's name and the workers' 16-byte task marks).
     */
    private static final AtomicBoolean SWEPT = new AtomicBoolean();
    /** The sweep's thread, once started. */
    private static volatile Thread sweeper;

    /** What the pool does with an authenticated connection. */
    interface Acceptor {
        void accepted(SocketChannel channel, DataInputStream in, DataOutputStream out);
    }

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;

    PoolServer(String name, Acceptor acceptor) throws IOException {
        if (SWEPT.compareAndSet(false, true)) {
            sweeper = Thread.ofVirtual().name("mp4j-pool-sweep").start(PoolServer::removeStaleDirectories);
        }
        this.dir = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
            // the next pool's sweep removes it
        }
    }

    /** Waits for this JVM's sweep, if it has started one (for tests: a short JVM may end before it does). */
    static void awaitSweep() throws InterruptedException {
        Thread thread = sweeper;
        if (thread != null) {
            thread.join();
        }
    }

    private static void removeStaleDirectories() {
        STALE_DIRECTORIES.sweep(Path.of(System.getProperty("java.io.tmpdir")));
    }
}
