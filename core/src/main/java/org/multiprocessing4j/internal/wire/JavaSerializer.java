package org.multiprocessing4j.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * JDK serialization with an {@link ObjectInputFilter}. It handles serializable lambdas, records and
 * any {@code Serializable} graph with no registration, which is what a target captured by a user's
 * lambda needs; the measurements that chose it are in {@code docs/serialization.md}.
 *
 * <p>Each message is read through a filter of its own ({@link SerialFilter#forMessage}), bounded by
 * the message's length. A graph that is still too deep for the receiving thread's stack is refused
 * as the filter's refusals are, with an {@link InvalidObjectException}: the stream is dropped, the
 * thread goes on.
 */
final class JavaSerializer implements Serializer {

    @Override
    public byte[] serialize(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(SerialFilter.forMessage(bytes.length));
            return in.readObject();
        } catch (StackOverflowError e) {
            throw new InvalidObjectException("a message of " + bytes.length
                    + " bytes nests deeper than this thread's stack can read; refused");
        }
    }

    /** Falls back to the thread's context class loader, for classes the default lookup cannot see. */
    private static final class ContextObjectInputStream extends ObjectInputStream {
        ContextObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context == null) {
                    throw e;
                }
                return Class.forName(desc.getName(), false, context);
            }
        }
    }
}
