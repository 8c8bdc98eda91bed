package org.multiprocessing4j.hazelcast;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The few types of this backend that Hazelcast itself serializes: {@link SealedCall} (a task for a
 * member, whose only field is an authenticated frame) and {@link StateOp} (an entry processor on the
 * state map, whose fields are numbers). Both are {@link IdentifiedDataSerializable}: Hazelcast builds
 * them from a type id with this factory, never by Java deserialization.
 */
final class Wire implements DataSerializableFactory {
    static final int FACTORY_ID = 0x4d50; // "MP"
    static final int SEALED_CALL = 1;
    static final int STATE_OP = 2;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case SEALED_CALL -> new SealedCall();
            case STATE_OP -> new StateOp();
            default -> null;
        };
    }
}
