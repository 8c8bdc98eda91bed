package org.multiprocessing4j.internal.launch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ProcessInfo;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * What a parent sends a child on its control channel: who the child is, who its parent is, and the
 * process object (its target, or the subclass's fields).
 *
 * <pre>
 *  UTF name | UTF identity | boolean daemon | UTF parent name | long parent pid | long parent's parent pid
 *  | boolean parent daemon | int n | n bytes: the ChildProcess, serialized
 * </pre>
 *
 * <p>The envelope is written field by field, and only the process object goes through the
 * {@link org.multiprocessing4j.internal.wire.Serializer}: deserializing a record costs a cold JVM
 * several milliseconds of method-handle spinning, on every child's start-up path.
 */
public record LaunchRequest(String name, String identity, boolean daemon, ProcessInfo parent, byte[] processBytes) {

    /** Serializes {@code process} into a request. @throws IOException if it is not serializable */
    public static LaunchRequest of(ChildProcess process, String name, String identity, boolean daemon)
            throws IOException {
        return new LaunchRequest(name, identity, daemon, CurrentProcess.info(), Serializers.get().serialize(process));
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(processBytes.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(name);
            out.writeUTF(identity);
            out.writeBoolean(daemon);
            out.writeUTF(parent.name());
            out.writeLong(parent.pid());
            out.writeLong(parent.parentPid());
            out.writeBoolean(parent.daemon());
            out.writeInt(processBytes.length);
            out.write(processBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    static LaunchRequest decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        String name = in.readUTF();
        String identity = in.readUTF();
        boolean daemon = in.readBoolean();
        ProcessInfo parent = new ProcessInfo(in.readUTF(), in.readLong(), in.readLong(), in.readBoolean());
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("launch message truncated: process of " + length + " bytes, "
                    + in.available() + " left");
        }
        byte[] process = in.readNBytes(length);
        return new LaunchRequest(name, identity, daemon, parent, process);
    }

    /** Deserializes the process object. */
    ChildProcess process() throws IOException, ClassNotFoundException {
        Object object = Serializers.get().deserialize(processBytes);
        if (!(object instanceof ChildProcess child)) {
            throw new IOException("launch message holds a " + object.getClass().getName() + ", not a ChildProcess");
        }
        return child;
    }
}
