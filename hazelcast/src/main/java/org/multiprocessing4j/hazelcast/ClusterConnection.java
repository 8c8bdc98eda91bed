package org.multiprocessing4j.hazelcast;

import com.hazelcast.collection.IQueue;
import java.io.EOFException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Connection;

/**
 * One end of {@code pipe(duplex)} on the cluster: it receives from one {@code IQueue} of frames and sends
 * to another (a one-way pipe's first end only receives, its second only sends). {@link #close()} sends an
 * end-of-file mark: the other end's {@code recv} throws {@link UncheckedIOException} with an
 * {@link EOFException} once it has read everything before it. Serializable: sent to a child, it is the
 * same end there. Not supported by {@link Connection#waitAny}.
 */
final class ClusterConnection implements Connection, Serializable {
    private static final long serialVersionUID = 1L;

    /** What travels: an object, bytes, or the end of the stream. */
    record Message(int kind, Object object, byte[] bytes) implements Serializable {
        static final int OBJECT = 0;
        static final int BYTES = 1;
        static final int EOF = 2;
    }

    private final NodeRef nodeRef;
    private final String in;   // null: this end only sends
    private final String out;  // null: this end only receives
    private transient Message pending; // polled, not yet received; guarded by this
    private transient boolean eof;     // guarded by this
    private transient volatile boolean closed;

    ClusterConnection(ClusterNode node, String in, String out) {
        this.nodeRef = new NodeRef(node);
        this.in = in;
        this.out = out;
    }

    static ClusterConnection[] pipe(ClusterNode node, boolean duplex) {
        String a = ClusterNode.newName("pipe");
        String b = ClusterNode.newName("pipe");
        if (duplex) {
            return new ClusterConnection[] {new ClusterConnection(node, a, b), new ClusterConnection(node, b, a)};
        }
        return new ClusterConnection[] {new ClusterConnection(node, a, null), new ClusterConnection(node, null, a)};
    }

    private ClusterNode node() {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
        return nodeRef.get();
    }

    private IQueue<byte[]> queue(String name, String what) {
        if (name == null) {
            throw new IllegalStateException("this end of a one-way pipe cannot " + what);
        }
        return node().hz.getQueue(name);
    }

    private void put(Message m) {
        byte[] frame = node().seal(m);
        try {
            queue(out, "send").put(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    @Override
    public void send(Object o) {
        put(new Message(Message.OBJECT, o, null));
    }

    @Override
    public void sendBytes(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        put(new Message(Message.BYTES, null, java.util.Arrays.copyOfRange(b, off, off + len)));
    }

    private synchronized Message next(long timeoutNanos) {
        if (pending != null) {
            Message m = pending;
            pending = null;
            return m;
        }
        if (eof) {
            throw new UncheckedIOException(new EOFException("the other end closed the pipe"));
        }
        byte[] frame;
        try {
            frame = timeoutNanos < 0 ? queue(in, "receive").take()
                    : queue(in, "receive").poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while receiving", e);
        }
        if (frame == null) {
            return null;
        }
        Message m = (Message) node().open(frame);
        if (m.kind() == Message.EOF) {
            eof = true;
            throw new UncheckedIOException(new EOFException("the other end closed the pipe"));
        }
        return m;
    }

    @Override
    public Object recv() {
        Message m = next(-1);
        return m.kind() == Message.BYTES ? m.bytes() : m.object();
    }

    @Override
    public byte[] recvBytes() {
        Message m = next(-1);
        if (m.kind() != Message.BYTES) {
            throw new IllegalStateException("the next message is an object, not bytes");
        }
        return m.bytes();
    }

    @Override
    public synchronized boolean poll(Duration timeout) {
        if (pending != null || eof) {
            return true;
        }
        try {
            pending = next(Math.max(0, timeout.toNanos()));
        } catch (UncheckedIOException e) {
            return true; // end of file: a recv will not wait
        }
        return pending != null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (out != null) {
            try {
                put(new Message(Message.EOF, null, null));
            } catch (RuntimeException ignored) {
                // the cluster is gone: nobody reads
            }
        }
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }
}
