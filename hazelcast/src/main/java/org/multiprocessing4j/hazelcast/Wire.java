package org.multiprocessing4j.hazelcast;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The few types of this backend that Hazelcast itself serializes: {@link SealedCall} (a task for a
 * member, whose only field is an authenticated frame), {@link StateOp} (an entry processor on the
 * state map, whose fields are numbers), and the entry processors of registered objects
 * ({@link ClusterObjects.Invoke}, an authenticated frame; {@link ClusterObjects.Store}, a state). Both are {@link IdentifiedDataSerializable}: Hazelcast builds
 * them from a type id with this factory, never by Java deserialization.
 */
final class Wire implements DataSerializableFactory {
    static final int FACTORY_ID = 0x4d50; // "MP"
    static final int SEALED_CALL = 1;
    static final int STATE_OP = 2;
    static final int INVOKE = 3;
    static final int STORE = 4;
    private static final int MAX_FRAME = 1 << 30;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case SEALED_CALL -> new SealedCall();
            case STATE_OP -> new StateOp();
            case INVOKE -> new ClusterObjects.Invoke();
            case STORE -> new ClusterObjects.Store();
            default -> null;
        };
    }

    /** A frame written by {@code writeByteArray}, its length checked before anything is allocated. */
    static byte[] readFrame(com.hazelcast.nio.ObjectDataInput in) throws java.io.IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new java.io.IOException("a frame of " + length + " bytes refused");
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }
}
