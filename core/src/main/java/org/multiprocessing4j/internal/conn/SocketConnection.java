package org.multiprocessing4j.internal.conn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.wire.PlainFrames;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * A {@link Connection} over a socket (TCP or Unix domain) that has passed the handshake: each message
 * is a length-prefixed frame. A reader thread (virtual) takes frames off the socket as they come, so
 * that {@link #poll} and {@link Connection#waitAny} need no selector and an interrupted {@code recv}
 * leaves the socket open and loses nothing (the rule of {@code docs/connections.md}: the same as a
 * pipe's); it stops at end of file. Internal request/reply users that abandon a call on interrupt
 * (the manager's client and server) opt into {@link #directReads()}. The reader reads the next frame
 * only while it holds less than {@link #INBOX_BYTES} of frames not yet received, so it holds at most
 * that and one frame more: beyond that it stops reading, and the sender, once the socket's buffers are
 * full, waits.
 *
 * <p>A frame's length is checked against the receiver's limit ({@link #MAX_MESSAGE} unless given) and its array
 * grows as its bytes arrive ({@link PlainFrames}); a frame over the limit ends the connection.
 *
 * <p><b>Concurrency.</b> {@code send}s are serialized by {@code writeLock}; receiving is for one
 * thread at a time, as in Python.
 */
public final class SocketConnection implements Connection {
    /** The largest message a receiver accepts, unless configured ({@code -Dmp4j.maxMessageBytes}). */
    public static final int MAX_MESSAGE = org.multiprocessing4j.Listener.MAX_MESSAGE_BYTES;
    /** How many bytes of frames the reader thread holds for {@code recv} ({@code -Dmp4j.connectionInboxBytes}). */
    public static final long INBOX_BYTES = Long.getLong("mp4j.connectionInboxBytes", 64L << 20);
    /** What a frame in the inbox is counted as besides its bytes: its array and queue node. */
    private static final int FRAME_OVERHEAD = 64;
    private static final byte[] END = new byte[0];

    private final SocketChannel channel;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final Object writeLock = new Object();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final long inboxLimit;
    private final int maxMessage;
    private final Object space = new Object();
    private long inboxBytes;       // frames in the inbox, as counted by cost(); guarded by space
    private boolean readerWaiting; // the reader waits for space; guarded by space
    private volatile boolean closed;
    private volatile boolean ended;
    private Object peeked; // the receiving thread's only
    private volatile boolean readerStarted;
    private volatile boolean direct; // recv reads the socket itself until poll or waitAny is used

    public SocketConnection(SocketChannel channel, DataInputStream in, DataOutputStream out) {
        this(channel, in, out, MAX_MESSAGE, INBOX_BYTES);
    }

    /** @param maxMessage the largest frame this end receives; a larger one ends the connection */
    public SocketConnection(SocketChannel channel, DataInputStream in, DataOutputStream out, int maxMessage) {
        this(channel, in, out, maxMessage, INBOX_BYTES);
    }

    SocketConnection(SocketChannel channel, DataInputStream in, DataOutputStream out, int maxMessage, long inboxLimit) {
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.maxMessage = maxMessage;
        this.inboxLimit = inboxLimit;
    }

    /**
     * Until something needs to know whether a message is waiting ({@link #poll}, {@link Connection#waitAny}),
     * {@code recv} reads the socket itself: a request/reply exchange then costs no thread hand-off. The
     * price: an interrupt that comes while {@code recv} blocks closes the socket (the JDK closes an
     * interruptible channel), which those callers want (the other side sees the end and abandons the
     * call). Not for connections a user holds. Returns this.
     */
    public SocketConnection directReads() {
        direct = true;
        return this;
    }

    /** From the first question whether a message is waiting on, a reader thread fills the inbox. */
    private synchronized void startReader() {
        if (!readerStarted) {
            readerStarted = true;
            Thread.ofVirtual().name("mp4j-connection-reader").start(this::readLoop);
        }
    }

    public static SocketConnection over(SocketChannel channel) {
        return new SocketConnection(channel,
                new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)),
                new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)));
    }

    private void readLoop() {
        try {
            while (awaitRoom()) {
                byte[] frame = PlainFrames.read(in, maxMessage);
                if (frame == null) {
                    break;
                }
                synchronized (space) {
                    inboxBytes += cost(frame);
                }
                inbox.add(frame);
                Readiness.signal();
            }
        } catch (IOException e) {
            inbox.add(e);
        }
        ended = true;
        inbox.add(END);
        Readiness.signal();
    }

    private static long cost(byte[] frame) {
        return frame.length + FRAME_OVERHEAD;
    }

    /** Waits until the inbox holds less than its limit; false if the connection is closed. */
    private boolean awaitRoom() {
        synchronized (space) {
            while (inboxBytes >= inboxLimit && !closed) {
                readerWaiting = true;
                try {
                    space.wait();
                } catch (InterruptedException e) {
                    return false; // nobody interrupts the reader
                } finally {
                    readerWaiting = false;
                }
            }
            return !closed;
        }
    }

    private void taken(byte[] frame) {
        synchronized (space) {
            inboxBytes -= cost(frame);
            space.notifyAll();
        }
    }

    /** For tests: the bytes of frames held for {@code recv}, and whether the reader waits for room. */
    long inboxBytes() {
        synchronized (space) {
            return inboxBytes;
        }
    }

    boolean readerWaiting() {
        synchronized (space) {
            return readerWaiting;
        }
    }

    @Override
    public void send(Object o) {
        byte[] bytes = Outgoing.encode(o, Serializers.get()::serialize);
        sendBytes(bytes, 0, bytes.length);
    }

    @Override
    public void sendBytes(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        requireOpen();
        if (Thread.currentThread().isInterrupted()) {
            // writing would let the JDK close the channel on this interrupt: refuse before the first byte
            throw new IllegalStateException("interrupted before sending", new InterruptedException());
        }
        synchronized (writeLock) {
            try {
                PlainFrames.write(out, b, off, len);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the connection is broken: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Object recv() {
        byte[] bytes = recvBytes();
        try {
            return Serializers.get().deserialize(bytes);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a message could not be deserialized: " + e, e);
        }
    }

    @Override
    public byte[] recvBytes() {
        requireOpen();
        if (direct && !readerStarted) {
            return readDirectly();
        }
        startReader();
        Object next = peeked != null ? peeked : take();
        peeked = null;
        if (next == END) {
            inbox.add(END); // every later recv sees the end too
            throw new UncheckedIOException(new EOFException("the other end of the connection is closed"));
        }
        if (next instanceof IOException e) {
            inbox.add(END);
            throw new UncheckedIOException("the connection broke: " + e.getMessage(), e);
        }
        byte[] frame = (byte[]) next;
        taken(frame);
        return frame;
    }

    private byte[] readDirectly() {
        if (ended) {
            throw new UncheckedIOException(new EOFException("the other end of the connection is closed"));
        }
        try {
            byte[] frame = PlainFrames.read(in, maxMessage);
            if (frame == null) {
                ended = true;
                throw new UncheckedIOException(new EOFException("the other end of the connection is closed"));
            }
            return frame;
        } catch (IOException e) {
            ended = true;
            throw new UncheckedIOException("the connection broke: " + e.getMessage(), e);
        }
    }

    /** A message that is here is returned even to an interrupted thread: only a wait is interrupted. */
    private Object take() {
        Object here = inbox.poll();
        if (here != null) {
            return here;
        }
        try {
            return inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while receiving", e);
        }
    }

    @Override
    public boolean poll(Duration timeout) {
        requireOpen();
        startReader();
        if (peeked != null) {
            return true;
        }
        peeked = inbox.poll();
        if (peeked != null || timeout.isNegative() || timeout.isZero()) {
            return peeked != null;
        }
        try {
            peeked = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // as Selector.select: return at once, the status kept
            return false;
        }
        return peeked != null;
    }

    /** For {@link Readiness}: a message (or the end of file) is here. */
    boolean ready() {
        startReader();
        return peeked != null || !inbox.isEmpty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (space) {
            space.notifyAll(); // a reader waiting for room ends
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed is closed
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
    }
}
