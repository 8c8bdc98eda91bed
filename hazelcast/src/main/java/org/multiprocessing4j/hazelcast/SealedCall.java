package org.multiprocessing4j.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A command for a member, sent through Hazelcast's executor: only an authenticated frame. The member
 * checks the frame's MAC under its authkey before it deserializes the command in it
 * ({@link MemberRuntime#handle}); the answer is a frame under the same key.
 */
final class SealedCall implements Callable<byte[]>, IdentifiedDataSerializable {
    private static final int MAX_FRAME = 1 << 30;
    private byte[] frame;

    SealedCall() {}

    SealedCall(byte[] frame) {
        this.frame = frame;
    }

    @Override
    public byte[] call() throws Exception {
        return MemberRuntime.get().handle(frame);
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.SEALED_CALL;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(frame);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("a task frame of " + length + " bytes refused");
        }
        frame = new byte[length];
        in.readFully(frame);
    }
}
