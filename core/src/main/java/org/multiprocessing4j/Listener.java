package org.multiprocessing4j;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import org.multiprocessing4j.spi.LocalBackend;

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
 *
 * <p><b>Implementation notes.</b> <i>Concurrency:</i> from the first {@code accept()} on, a thread
 * of the listener accepts sockets and runs each handshake on a thread of its own; {@code accept()}
 * hands out connections in the order their handshakes complete, so a peer that connects and stays
 * silent delays nobody. At most {@link #MAX_PENDING} peers are in the handshake at a time
 * ({@code -Dmp4j.maxPendingHandshakes}); one more closes the one that has waited longest (a peer
 * that holds the key answers in milliseconds). At most {@link #MAX_PENDING} authenticated
 * connections wait for {@code accept()}; beyond that the listener stops accepting and the kernel's
 * backlog holds the rest, as when nobody calls {@code accept()}. Failed handshakes are reported by
 * {@code accept()} up to 16 at a time; more are dropped. <i>Lifecycle:</i> {@link #close()} closes
 * the listening socket, every peer still in the handshake and every connection not yet accepted.
 */
public final class Listener implements AutoCloseable {
    /** How long a peer has to complete the handshake. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The largest message a connection receives unless told otherwise ({@code -Dmp4j.maxMessageBytes}, 1 GiB). */
    public static final int MAX_MESSAGE_BYTES = Integer.getInteger("mp4j.maxMessageBytes", 1 << 30);
    /** How many peers may be in the handshake at once, and how many accepted connections may wait. */
    public static final int MAX_PENDING = Integer.getInteger("mp4j.maxPendingHandshakes", 64);
    private static final int MAX_REPORTED_FAILURES = 16;
    private static final long HANDSHAKE_STACK = 256 << 10;
    private static final Object CLOSED = new Object();

    private final ServerSocketChannel server;
    private final byte[] authkey;
    private final SocketAddress address;
    private final int maxMessageBytes;
    /** Connections and failed handshakes ({@link AuthenticationException}), then {@link #CLOSED}. */
    private final LinkedBlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    private final ArrayDeque<SocketChannel> handshaking = new ArrayDeque<>(); // guarded by this, oldest first
    private int waiting;          // authenticated connections in outcomes; guarded by this
    private int failures;         // failed handshakes in outcomes; guarded by this
    private boolean accepting;    // the accept thread runs; guarded by this
    private boolean closed;       // guarded by this

    /** Listens on {@code address} (port 0: any free port) with this process's authkey. */
    public Listener(SocketAddress address) {
        this(address, LocalBackend.get().authkey());
    }

    /**
     * Listens on {@code address}: an {@link InetSocketAddress} (port 0 picks a free one) or a
     * {@link UnixDomainSocketAddress}.
     */
    public Listener(SocketAddress address, byte[] authkey) {
        this(address, authkey, MAX_MESSAGE_BYTES);
    }

    /**
     * Listens on {@code address} as {@link #Listener(SocketAddress, byte[])}; the connections it
     * accepts refuse a message over {@code maxMessageBytes} (default {@link #MAX_MESSAGE_BYTES}): their
     * {@code recv} throws {@link UncheckedIOException} and the connection ends.
     *
     * @throws IllegalArgumentException if {@code maxMessageBytes} is not positive
     */
    public Listener(SocketAddress address, byte[] authkey, int maxMessageBytes) {
        Objects.requireNonNull(address, "address");
        this.authkey = requireKey(authkey);
        this.maxMessageBytes = requireMaxMessage(maxMessageBytes);
        try {
            this.server = address instanceof UnixDomainSocketAddress
                    ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
            server.bind(address);
            this.address = server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    static int requireMaxMessage(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be ≥ 1, was " + maxMessageBytes);
        }
        return maxMessageBytes;
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
     * Waits for the next peer to complete the handshake.
     *
     * @throws AuthenticationException if a peer failed the handshake (the listener keeps serving)
     * @throws UncheckedIOException if the listener is closed or broken, or (its cause an
     *         {@link InterruptedIOException}, the interrupt status set) the calling thread is
     *         interrupted; the listener then stays open
     */
    public Connection accept() {
        synchronized (this) {
            if (!closed && !accepting) {
                accepting = true;
                Thread.ofPlatform().daemon().name("mp4j-listener-accept").start(this::acceptLoop);
            }
        }
        Object outcome;
        try {
            outcome = outcomes.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while accepting on " + address));
        }
        synchronized (this) {
            if (outcome instanceof Connection) {
                waiting--;
                notifyAll();
            } else if (outcome instanceof AuthenticationException) {
                failures--;
            }
        }
        return switch (outcome) {
            case Connection connection -> connection;
            case AuthenticationException failed -> {
                AuthenticationException e = new AuthenticationException(failed.getMessage());
                e.initCause(failed);
                throw e;
            }
            case IOException broken -> throw new UncheckedIOException(
                    "the listener on " + address + " cannot accept: " + broken.getMessage(), broken);
            default -> {
                outcomes.add(CLOSED); // every later accept() sees it too
                throw new UncheckedIOException(new ClosedChannelException());
            }
        };
    }

    private void acceptLoop() {
        try {
            while (true) {
                synchronized (this) {
                    while (waiting >= MAX_PENDING && !closed) {
                        wait(); // nobody accepts: leave the next peers in the kernel's backlog
                    }
                    if (closed) {
                        return;
                    }
                }
                SocketChannel channel = server.accept();
                SocketChannel evicted = null;
                synchronized (this) {
                    if (closed) {
                        closeQuietly(channel);
                        return;
                    }
                    if (handshaking.size() >= MAX_PENDING) {
                        evicted = handshaking.pollFirst();
                    }
                    handshaking.addLast(channel);
                }
                if (evicted != null) {
                    closeQuietly(evicted); // its handshake fails and reports it
                }
                Thread.ofPlatform().daemon().name("mp4j-handshake").stackSize(HANDSHAKE_STACK)
                        .start(() -> handshake(channel));
            }
        } catch (InterruptedException | IOException e) {
            synchronized (this) {
                accepting = false;
                if (!closed) {
                    outcomes.add(e instanceof IOException io ? io : new IOException(e));
                }
            }
        }
    }

    private void handshake(SocketChannel channel) {
        Object outcome;
        try {
            outcome = LocalBackend.get().authenticate(channel, authkey, maxMessageBytes);
        } catch (AuthenticationException e) {
            outcome = e;
        }
        synchronized (this) {
            handshaking.remove(channel);
            if (closed) {
                if (outcome instanceof Connection connection) {
                    connection.close();
                }
            } else if (outcome instanceof Connection) {
                waiting++;
                outcomes.add(outcome);
            } else if (failures < MAX_REPORTED_FAILURES) {
                failures++;
                outcomes.add(outcome);
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed is closed
        }
    }

    @Override
    public void close() {
        List<SocketChannel> peers;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            peers = List.copyOf(handshaking);
            handshaking.clear();
            notifyAll();
        }
        for (SocketChannel peer : peers) {
            closeQuietly(peer);
        }
        for (Object outcome : outcomes) {
            if (outcome instanceof Connection connection) {
                connection.close();
            }
        }
        outcomes.clear();
        outcomes.add(CLOSED);
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
