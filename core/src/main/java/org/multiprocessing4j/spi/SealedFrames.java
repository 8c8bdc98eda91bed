package org.multiprocessing4j.spi;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import org.multiprocessing4j.AuthenticationException;

/**
 * This library's authenticated frames, for a backend that carries objects through a medium it does
 * not trust (the cluster's maps and queues): {@link #seal} encodes an object in the library's value
 * form (a plain value raw, any other object serialized) and frames it with the HMAC-SHA256 of its bytes
 * under a key; {@link #open} checks the MAC before it decodes a single byte, through the library's
 * deserialization filter.
 */
public final class SealedFrames {
    /** The largest frame {@link #open} accepts by default: 1 GiB. */
    public static final int MAX_LENGTH = 1 << 30;

    private SealedFrames() {}

    /**
     * The frame of {@code object} under {@code key}.
     *
     * @throws IllegalArgumentException if it cannot be serialized (the message names the class)
     */
    public static byte[] seal(byte[] key, Object object) {
        return sealBytes(key, encode(object));
    }

    /**
     * {@code object} in the form a frame's body holds it (the library's value form: an int is a tag and
     * 4 bytes, an object that is no plain value is serialized), for a body that carries several values
     * and is sealed once, with {@link #sealBytes}.
     *
     * @throws IllegalArgumentException if it cannot be serialized (the message names the class)
     */
    public static byte[] encode(Object object) {
        try {
            return LocalBackend.get().serialize(object);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(e.getMessage() + " is not Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + object.getClass().getName() + ": " + e, e);
        }
    }

    /**
     * The value in {@code bytes} ({@link #encode}'s form), through the library's deserialization filter.
     * Only for bytes that a frame whose MAC was checked carried ({@link #openBytes}).
     *
     * @throws UncheckedIOException if they are malformed, or the filter refuses what they hold
     */
    public static Object decode(byte[] bytes) {
        try {
            return LocalBackend.get().deserialize(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a frame's object was refused: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException("a frame holds a class not on this class path: "
                    + e.getMessage(), e));
        }
    }

    /** The frame of {@code body} under {@code key}. */
    public static byte[] sealBytes(byte[] key, byte[] body) {
        return LocalBackend.get().frame(key, body);
    }

    /**
     * The object in {@code frame}, once its MAC under {@code key} is checked.
     *
     * @throws AuthenticationException if the MAC does not match (nothing was deserialized)
     * @throws UncheckedIOException if it is not a frame, is truncated, or the filter refuses what it holds
     */
    public static Object open(byte[] key, byte[] frame) {
        return decode(openBytes(key, frame));
    }

    /** The checked body of {@code frame}. @throws AuthenticationException if the MAC does not match */
    public static byte[] openBytes(byte[] key, byte[] frame) {
        if (frame == null) {
            throw new UncheckedIOException(new IOException("no frame"));
        }
        try {
            byte[] body = LocalBackend.get().unframe(key, frame, MAX_LENGTH);
            if (body == null) {
                throw new IOException("an empty frame");
            }
            return body;
        } catch (AuthenticationException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new random key (32 bytes). */
    public static byte[] newKey() {
        return LocalBackend.get().newKey();
    }
}
