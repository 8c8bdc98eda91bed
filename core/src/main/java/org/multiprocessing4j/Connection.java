package org.multiprocessing4j;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.multiprocessing4j.spi.LocalBackend;

/**
 * One end of a two-way channel between processes: Python's {@code multiprocessing.connection.Connection}.
 * Objects go through the library's serializer (with its deserialization filter), bytes as they are;
 * each message arrives whole, in order.
 *
 * <p>{@link #recv()} on a connection whose other end has closed, once everything it sent has been
 * read, throws {@link UncheckedIOException} whose cause is an {@link EOFException} (Python's
 * {@code EOFError}); a message over the receiver's limit is refused before it is read into memory.
 */
public interface Connection extends AutoCloseable {

    /** Sends an object. @throws IllegalArgumentException if it cannot be serialized (nothing is sent) */
    void send(Object o);

    /** Receives the next object, waiting for it. */
    Object recv();

    /** Whether a message can be received without waiting longer than {@code timeout}. */
    boolean poll(Duration timeout);

    /** Sends bytes as one message. */
    void sendBytes(byte[] b, int off, int len);

    default void sendBytes(byte[] b) {
        sendBytes(b, 0, b.length);
    }

    /** Receives the next message's bytes. */
    byte[] recvBytes();

    /** Closes this end; the other end's {@code recv} ends with {@code EOFException} once it has read all. */
    @Override
    void close();

    boolean isClosed();

    /**
     * The connections that have a message to receive (or have reached end of file), waiting at most
     * {@code timeout} for one (Python's {@code multiprocessing.connection.wait}).
     */
    static List<Connection> waitAny(Collection<Connection> connections, Duration timeout) {
        return LocalBackend.get().waitAny(connections, timeout);
    }
}
