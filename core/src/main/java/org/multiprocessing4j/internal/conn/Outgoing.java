package org.multiprocessing4j.internal.conn;

import java.io.IOException;
import java.io.NotSerializableException;

/**
 * What every {@code Connection.send} does before its bytes go out, a pipe's and a socket's alike: the
 * value serialized, or a failure that says nothing was sent.
 */
final class Outgoing {
    /** A serializer's one step: a value to bytes. */
    @FunctionalInterface
    interface Encoder {
        byte[] encode(Object value) throws IOException;
    }

    private Outgoing() {}

    /**
     * {@code o} through {@code encoder}.
     *
     * @throws IllegalArgumentException if it cannot be serialized (nothing was sent)
     */
    static byte[] encode(Object o, Encoder encoder) {
        try {
            return encoder.encode(o);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(e.getMessage() + " is not Serializable; nothing was sent", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + (o == null ? "null" : o.getClass().getName())
                    + ": " + e + "; nothing was sent", e);
        }
    }
}
