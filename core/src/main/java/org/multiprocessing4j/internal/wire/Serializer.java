package org.multiprocessing4j.internal.wire;

import java.io.IOException;

/**
 * Turns objects into bytes and back, for everything that crosses a process boundary. One
 * implementation is chosen by measurement ({@code docs/serialization.md}); {@link Serializers#get()}
 * returns it. Deserialization must be bounded by a filter: the bytes may come from another process.
 */
public interface Serializer {

    /** @throws java.io.NotSerializableException naming the class that cannot be serialized */
    byte[] serialize(Object object) throws IOException;

    /** @throws java.io.InvalidClassException if the filter rejects what the bytes would build */
    Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException;
}
