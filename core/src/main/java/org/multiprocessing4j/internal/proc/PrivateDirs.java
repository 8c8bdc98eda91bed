package org.multiprocessing4j.internal.proc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The library's own directories in the temporary directory ({@code java.io.tmpdir}): a pool's socket and
 * its workers' task marks, a manager's sockets, the AOT training's rehearsals. Each is
 * {@code mp4j-PID-KIND…} (the JVM's pid), {@code rwx------} (only this user can enter it), and its owner
 * removes it when done. One whose JVM was killed is removed by the first directory of a JVM that starts
 * after that: once per JVM, on a thread of its own (listing the directory took a pool's creation 4–13 ms
 * where it held 950 entries). A directory whose pid is not running here but whose socket still has a
 * listener (its JVM is in another pid namespace sharing this directory) is kept.
 */
public final class PrivateDirs {
    private static final String PREFIX = "mp4j-";
    /** {@code mp4j-PID-*} directories whose JVM is gone and whose sockets nobody listens on. */
    private static final Sweeper STALE = new Sweeper(name -> name.startsWith(PREFIX),
            Sweeper.both((dir, name) -> Files.isDirectory(dir),
                    Sweeper.both(Sweeper.ownerGone(name -> Long.parseLong(name.split("-")[1])),
                            (dir, name) -> !listenedOn(dir))),
            Sweeper.TREE);
    private static final AtomicBoolean SWEPT = new AtomicBoolean();
    /** The sweep's thread, once started. */
    private static volatile Thread sweeper;

    private PrivateDirs() {}

    /** A new directory of this JVM's, {@code mp4j-PID-KIND…}; the first of a JVM starts the sweep. */
    public static Path create(String kind) throws IOException {
        if (SWEPT.compareAndSet(false, true)) {
            sweeper = Thread.ofVirtual().name("mp4j-tmp-sweep").start(PrivateDirs::removeStale);
        }
        return Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-" + kind,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Waits for this JVM's sweep, if it has started one (for tests: a short JVM may end before it does). */
    public static void awaitSweep() throws InterruptedException {
        Thread thread = sweeper;
        if (thread != null) {
            thread.join();
        }
    }

    /**
     * Whether a socket in {@code dir} has a listener: a JVM in another pid namespace (a container sharing
     * this {@code /tmp}) looks dead by its pid and is not. A dead JVM's socket refuses the connection; a
     * live pool or manager takes it and drops it at its handshake.
     */
    private static boolean listenedOn(Path dir) throws IOException {
        try (DirectoryStream<Path> sockets = Files.newDirectoryStream(dir, "*.sock")) {
            for (Path socket : sockets) {
                try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    probe.connect(UnixDomainSocketAddress.of(socket));
                    return true;
                } catch (IOException e) {
                    // refused: nobody listens there
                }
            }
        }
        return false;
    }

    private static void removeStale() {
        STALE.sweep(Path.of(System.getProperty("java.io.tmpdir")));
    }
}
