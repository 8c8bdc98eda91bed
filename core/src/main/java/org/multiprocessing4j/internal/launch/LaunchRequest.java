package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.lang.invoke.SerializedLambda;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ProcessInfo;
import org.multiprocessing4j.internal.shm.HandOffs;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.CapturedLambda;
import org.multiprocessing4j.internal.wire.DirectLambda;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * What a parent sends a child on its control channel: who the child is, who its parent is, and what
 * it runs.
 *
 * <pre>
 *  string name | string identity | boolean daemon | string parent name | long parent pid
 *  | long parent's parent pid | boolean parent daemon | byte form
 *  | form LAMBDA:     int n, n bytes: the target lambda's shape | int m, m bytes: its captured values
 *  | form SERIALIZED: int n, n bytes: the ChildProcess, serialized
 *  | form SERIALIZED_SHARED: the same, holding a handle of shared memory
 *  | form LAMBDA_SHARED: int n, n bytes: the target lambda's shape | int m, m bytes: its captured values,
 *                        handles of shared memory among them (tag HANDLES,
 *                        {@link org.multiprocessing4j.internal.wire.HandleValues})
 * </pre>
 * (as {@link ByteWriter} writes them; {@link ByteReader} checks every length against the message)
 *
 * <p>The envelope is written field by field: deserializing a record costs a cold JVM several
 * milliseconds of method-handle spinning, on every child's start-up path. The common process, a plain
 * {@code ChildProcess} of a lambda whose captured values are {@code null}, booleans, numbers, strings or
 * byte arrays, travels as that lambda's parts ({@link CapturedLambda}, as the pool sends such a task),
 * and the child builds it without an object stream: an {@code ObjectInputStream}'s first use costs a
 * child 20–30 ms ({@code ObjectInputFilter.Config}'s logger lookup opens every JAR of the class path,
 * then the security properties and the stream descriptors). Anything else (a subclass, a captured list
 * or object) goes through the {@link org.multiprocessing4j.internal.wire.Serializer} whole, except a lambda
 * that captures the library's queues, locks, events, semaphores, barriers, shared values and pipe ends
 * beside raw values: those travel as their serial forms' few fields (form LAMBDA_SHARED), and the child
 * attaches them without an object stream either. The serial filter's class rules hold on every form: the
 * lambda's capturing class, and each handle's, are checked as a stream would check them.
 */
public record LaunchRequest(String name, String identity, boolean daemon, ProcessInfo parent, byte form,
        byte[] processBytes, byte[] lambdaValues) {
    static final byte SERIALIZED = 0;
    static final byte LAMBDA = 1;
    /** {@link #SERIALIZED}, and the process holds a handle of shared memory ({@link #holdsSharedMemory}). */
    static final byte SERIALIZED_SHARED = 2;
    /** {@link #LAMBDA}, with handles of shared memory among the captured values (wire.HandleValues). */
    static final byte LAMBDA_SHARED = 3;

    /**
     * The request for {@code process}; {@code target} is its target if it is a plain {@code ChildProcess}
     * (not a subclass), else null.
     *
     * @throws IOException if it is not serializable
     */
    public static LaunchRequest of(ChildProcess process, Object target, String name, String identity,
            boolean daemon) throws IOException {
        SerializedLambda parts = target == null ? null : CapturedLambda.partsOf(target);
        if (parts != null) { // raw values, or handles beside them (as their fields): as the lambda's parts
            boolean raw = CapturedLambda.capturesRawValues(parts);
            if (raw || CapturedLambda.capturesHandles(parts)) {
                return new LaunchRequest(name, identity, daemon, CurrentProcess.info(), raw ? LAMBDA : LAMBDA_SHARED,
                        CapturedLambda.shape(parts), CapturedLambda.values(parts));
            }
        } // else it is serialized once, whole
        int handlesBefore = HandOffs.onThisThread();
        byte[] bytes = Serializers.get().serialize(process);
        byte form = HandOffs.onThisThread() != handlesBefore ? SERIALIZED_SHARED : SERIALIZED;
        return new LaunchRequest(name, identity, daemon, CurrentProcess.info(), form, bytes, new byte[0]);
    }

    public byte[] encode() {
        ByteWriter out = new ByteWriter(processBytes.length + lambdaValues.length + 128)
                .writeString(name)
                .writeString(identity)
                .writeBoolean(daemon)
                .writeString(parent.name())
                .writeLong(parent.pid())
                .writeLong(parent.parentPid())
                .writeBoolean(parent.daemon())
                .writeByte(form)
                .writeBytes(processBytes);
        if (isLambda(form)) {
            out.writeBytes(lambdaValues);
        }
        return out.toByteArray();
    }

    /**
     * The request {@link #encode} wrote.
     *
     * @throws IOException if the bytes are malformed: every length is checked against the message
     */
    public static LaunchRequest decode(byte[] body) throws IOException {
        ByteReader in = new ByteReader(body);
        String name = in.readString();
        String identity = in.readString();
        boolean daemon = in.readBoolean();
        ProcessInfo parent = new ProcessInfo(in.readString(), in.readLong(), in.readLong(), in.readBoolean());
        byte form = in.readByte();
        if (form != SERIALIZED && form != LAMBDA && form != SERIALIZED_SHARED && form != LAMBDA_SHARED) {
            throw new IOException("launch message of an unknown form " + form);
        }
        byte[] process = in.readBytes();
        byte[] values = isLambda(form) ? in.readBytes() : new byte[0];
        in.requireEnd();
        return new LaunchRequest(name, identity, daemon, parent, form, process, values);
    }

    private static boolean isLambda(byte form) {
        return form == LAMBDA || form == LAMBDA_SHARED;
    }

    /**
     * Whether this request holds a handle of shared memory (a queue, a pipe, a lock, a shared value …),
     * whose first wait or wake in the child needs the futex binding ({@code Bootstrap} then links it
     * beside the reading of the target: {@code FutexWarmUp}).
     */
    boolean holdsSharedMemory() {
        return form == SERIALIZED_SHARED || form == LAMBDA_SHARED;
    }

    /**
     * Whether the launch message {@code body} is of the form LAMBDA: a target whose captured values are
     * all raw (strings, numbers, flags, byte arrays), so it holds no queue, pipe, shared value or other
     * object of the library. Reads the envelope's header only.
     */
    static boolean isLambdaForm(byte[] body) {
        try {
            return body[formOffset(body)] == LAMBDA;
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Where the form byte of the launch message {@code body} is: after the envelope's strings, flags and numbers. */
    static int formOffset(byte[] body) throws IOException {
        ByteReader in = new ByteReader(body);
        in.readString();
        in.readString();
        in.readBoolean();
        in.readString();
        in.readLong();
        in.readLong();
        in.readBoolean();
        return body.length - in.remaining();
    }

    /**
     * The class that holds the target of the launch message {@code body}, if it is of a lambda form
     * (the user's class a child loads first); else null.
     */
    static String targetClass(byte[] body) {
        try {
            LaunchRequest request = decode(body);
            if (!isLambda(request.form)) {
                return null;
            }
            return CapturedLambda.capturingClass(request.processBytes);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What the child runs: the {@code ChildProcess}, or (the lambda forms) a {@code Runnable} of its
     * target: one that calls the target's method where that needs no class spun ({@link DirectLambda}: a
     * target that captures nothing, or one string or byte array), else the lambda built from its parts,
     * with its handles attached (form LAMBDA_SHARED).
     */
    public Object process() throws IOException, ClassNotFoundException {
        if (form == LAMBDA_SHARED) {
            return runnable(CapturedLambda.rebuild(processBytes, lambdaValues)); // the shape first, then the handles
        }
        if (form == LAMBDA) {
            if (CapturedLambda.holdsHandles(lambdaValues)) { // the plain form: raw values only, no attach
                throw new IOException("launch message of the form LAMBDA holds handles of shared memory");
            }
            Runnable direct = DirectLambda.runnable(processBytes, lambdaValues);
            if (direct != null) {
                return direct; // the child only runs it: no lambda class spun for it
            }
            return runnable(CapturedLambda.rebuild(processBytes, lambdaValues));
        }
        Object object = Serializers.get().deserialize(processBytes);
        if (!(object instanceof ChildProcess child)) {
            throw new IOException("launch message holds a " + object.getClass().getName() + ", not a ChildProcess");
        }
        return child;
    }

    private static Runnable runnable(Object target) throws IOException {
        if (!(target instanceof Runnable runnable)) {
            throw new IOException("launch message holds a " + target.getClass().getName() + ", not a Runnable");
        }
        return runnable;
    }
}
