package org.multiprocessing4j.internal.conn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.PlainFrames;

/**
 * Where the two ends of this JVM's pipes meet: a Unix domain socket in a private directory, one per
 * JVM that creates pipes.
 *
 * <p>An end used in another process connects here, authenticates (the process tree's authkey) and
 * says which pipe and side it is. Side 1 always connects. Side 0, still in the creating JVM, takes the
 * accepted socket of side 1 as its own: the two processes then talk directly. If side 0 was sent to
 * another process as well, it connects too, and the broker relays bytes between the two sockets.
 */
final class PipeBroker {
    private static volatile PipeBroker instance;

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Rendezvous> pipes = new ConcurrentHashMap<>();

    /** What the broker knows of one pipe until its ends have met. */
    static final class Rendezvous {
        final CompletableFuture<SocketConnection> forLocalSide0 = new CompletableFuture<>();
        volatile boolean side0Exported;
        volatile boolean side1Exported;
        volatile PipeEnd localSide1;
        SocketChannel remoteSide0;          // guarded by this
        SocketChannel remoteSide1;          // guarded by this
        DataInputStream[] ins = new DataInputStream[2];   // guarded by this
        DataOutputStream[] outs = new DataOutputStream[2]; // guarded by this
    }

    private PipeBroker() throws IOException {
        dir = Files.createTempDirectory("mp4j-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        socket = dir.resolve("pipes.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().name("mp4j-pipe-broker").start(this::acceptLoop);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "mp4j-pipe-broker-close"));
    }

    static PipeBroker get() {
        PipeBroker broker = instance;
        if (broker == null) {
            synchronized (PipeBroker.class) {
                broker = instance;
                if (broker == null) {
                    try {
                        broker = new PipeBroker();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot open the pipe rendezvous socket: " + e, e);
                    }
                    instance = broker;
                }
            }
        }
        return broker;
    }

    String path() {
        return socket.toString();
    }

    long newPipe() {
        long id = ids.incrementAndGet();
        pipes.put(id, new Rendezvous());
        return id;
    }

    Rendezvous rendezvous(long id) {
        return pipes.get(id);
    }

    void forget(long id) {
        pipes.remove(id);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("mp4j-pipe-join").start(() -> join(channel));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void join(SocketChannel channel) {
        try {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            Handshake.server(in, out, CurrentProcess.authkey());
            byte[] hello = PlainFrames.read(in, 64);
            DataInputStream h = new DataInputStream(new java.io.ByteArrayInputStream(hello));
            long id = h.readLong();
            int side = h.readInt();
            Rendezvous r = pipes.get(id);
            if (r == null || (side != 0 && side != 1)) {
                channel.close();
                return;
            }
            if (side == 1 && !r.side0Exported) {
                // Direct: side 0 (in this JVM) takes this socket when it is first used, and forgets the pipe.
                r.forLocalSide0.complete(new SocketConnection(channel, in, out));
                return;
            }
            synchronized (r) {
                r.ins[side] = in;
                r.outs[side] = out;
                if (side == 0) {
                    r.remoteSide0 = channel;
                } else {
                    r.remoteSide1 = channel;
                }
                if (r.remoteSide0 != null && r.remoteSide1 != null) {
                    pipes.remove(id);
                    relay(r.ins[0], r.outs[1], r.remoteSide1);
                    relay(r.ins[1], r.outs[0], r.remoteSide0);
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a peer that failed to join
            }
        }
    }

    /** Copies bytes one way until end of file, then closes the other end's writing side. */
    private static void relay(InputStream from, OutputStream to, SocketChannel toChannel) {
        Thread.ofVirtual().name("mp4j-pipe-relay").start(() -> {
            byte[] buffer = new byte[1 << 16];
            try {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    to.write(buffer, 0, n);
                    if (from.available() == 0) {
                        to.flush();
                    }
                }
                to.flush();
            } catch (IOException ignored) {
                // either side gone
            } finally {
                try {
                    toChannel.shutdownOutput();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        });
    }

    private void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // at exit
        }
    }
}
