package org.multiprocessing4j.internal.conn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.launch.CurrentProcess;

/**
 * One end of a {@code ctx.pipe(duplex)}: a {@link Connection} that connects lazily, on first use, in
 * whichever process uses it ({@link PipeBroker}). Serializable: captured by a task, it travels as its
 * pipe's address and side, never as a copy of the data.
 *
 * <p>{@code duplex = false} is Python's one-way pipe: the first end only receives, the second only
 * sends.
 */
public final class PipeEnd implements Connection, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String broker;
    private final long pipeId;
    private final int side;
    private final boolean duplex;
    private final transient boolean inCreator;
    private transient SocketConnection connection; // guarded by this

    private PipeEnd(String broker, long pipeId, int side, boolean duplex, boolean inCreator) {
        this.broker = broker;
        this.pipeId = pipeId;
        this.side = side;
        this.duplex = duplex;
        this.inCreator = inCreator;
    }

    /** A new pipe's two ends. */
    public static PipeEnd[] pipe(boolean duplex) {
        PipeBroker b = PipeBroker.get();
        long id = b.newPipe();
        PipeEnd first = new PipeEnd(b.path(), id, 0, duplex, true);
        PipeEnd second = new PipeEnd(b.path(), id, 1, duplex, true);
        b.rendezvous(id).localSide1 = second;
        return new PipeEnd[] {first, second};
    }

    private synchronized SocketConnection connection() {
        if (connection == null) {
            connection = side == 0 && inCreator ? awaitPeer() : connectToBroker();
        }
        return connection;
    }

    private SocketConnection awaitPeer() {
        PipeBroker.Rendezvous r = PipeBroker.get().rendezvous(pipeId);
        if (r == null) {
            throw new IllegalStateException("this pipe end was already used, or its pipe is gone");
        }
        PipeEnd localSide1 = r.localSide1;
        if (localSide1 != null && !r.side1Exported) {
            // The other end is in this JVM too and may not be used yet: connect it now, so both meet.
            Thread.ofVirtual().name("mp4j-pipe-connect").start(localSide1::connection);
        }
        try {
            SocketConnection peer = r.forLocalSide0.get();
            PipeBroker.get().forget(pipeId);
            return peer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the pipe's other end connected", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the pipe's other end could not connect", e.getCause());
        }
    }

    private SocketConnection connectToBroker() {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(broker));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach this pipe's other end (its creating process may have exited): "
                    + e.getMessage(), e);
        }
        SocketConnection c = Authenticator.authenticate(channel, CurrentProcess.authkey(), false);
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        try (DataOutputStream h = new DataOutputStream(hello)) {
            h.writeLong(pipeId);
            h.writeInt(side);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.sendBytes(hello.toByteArray());
        return c;
    }

    private void requireCanSend() {
        if (!duplex && side == 0) {
            throw new IllegalStateException("this end of a one-way pipe only receives");
        }
    }

    private void requireCanReceive() {
        if (!duplex && side == 1) {
            throw new IllegalStateException("this end of a one-way pipe only sends");
        }
    }

    @Override
    public void send(Object o) {
        requireCanSend();
        connection().send(o);
    }

    @Override
    public Object recv() {
        requireCanReceive();
        return connection().recv();
    }

    @Override
    public boolean poll(Duration timeout) {
        requireCanReceive();
        return connection().poll(timeout);
    }

    @Override
    public void sendBytes(byte[] b, int off, int len) {
        requireCanSend();
        connection().sendBytes(b, off, len);
    }

    @Override
    public byte[] recvBytes() {
        requireCanReceive();
        return connection().recvBytes();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public synchronized boolean isClosed() {
        return connection != null && connection.isClosed();
    }

    /** Ready for {@link Connection#waitAny}: holding a message. Never blocks: an end whose peer has
     *  not connected yet is not ready. */
    synchronized boolean ready() {
        if (connection == null && side == 0 && inCreator) {
            PipeBroker.Rendezvous r = PipeBroker.get().rendezvous(pipeId);
            if (r != null && !r.forLocalSide0.isDone()) {
                return false;
            }
        }
        return connection().poll(Duration.ZERO);
    }

    @Serial
    private Object writeReplace() throws ObjectStreamException {
        if (inCreator) {
            PipeBroker.Rendezvous r = PipeBroker.get().rendezvous(pipeId);
            if (r != null && side == 0) {
                r.side0Exported = true;
            } else if (r != null) {
                r.side1Exported = true;
            }
        }
        return new Ref(broker, pipeId, side, duplex);
    }

    /** The serialized form: where the pipe meets, and which end this is. */
    private record Ref(String broker, long pipeId, int side, boolean duplex) implements Serializable {
        @Serial
        private Object readResolve() {
            return new PipeEnd(broker, pipeId, side, duplex, false);
        }
    }

    @Override
    public String toString() {
        return "PipeEnd[pipe " + pipeId + ", side " + side + (duplex ? ", duplex" : ", one-way") + "]";
    }
}
