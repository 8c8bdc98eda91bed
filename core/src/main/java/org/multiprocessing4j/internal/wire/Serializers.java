package org.multiprocessing4j.internal.wire;

/** The serializer in use; see {@code docs/serialization.md} for why it is this one. */
public final class Serializers {
    private static final Serializer DEFAULT = new JavaSerializer();

    private Serializers() {}

    public static Serializer get() {
        return DEFAULT;
    }
}
