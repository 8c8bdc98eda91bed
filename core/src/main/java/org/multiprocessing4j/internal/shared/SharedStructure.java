package org.multiprocessing4j.internal.shared;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;

/**
 * What every shared value and array has: its segment, mapped once per process, its lock, and its
 * serialized form (the kind and the name; deserializing attaches, never copies).
 *
 * <p><b>Lifecycle.</b> Made by {@code create} in one process and by deserializing in every other:
 * each deserialization is a new handle on the process's one mapping of the segment (and of its lock's),
 * so a task capturing a value a million times takes one slot of the attach table ({@link Segment}).
 * {@link #close()} releases this handle, of the structure and of its lock; the process detaches with
 * its last handle (closed, or collected unreachable), and the segment goes when its last process
 * detaches or exits ({@code Segments}). A handle serialized for another process keeps both segments
 * until it has arrived there, even if this process closes it first.
 *
 * <p><b>Concurrency.</b> Any thread may use the structure; after {@link #close()} the mapping is gone
 * and every access throws {@link IllegalStateException}.
 */
public abstract class SharedStructure implements Serializable, RawHandle {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int kind;
    final transient Segment segment;
    final transient MemorySegment payload;
    private final transient ShmLock lock;
    private transient boolean closed; // guarded by this

    SharedStructure(Segment segment, ShmLock lock) {
        this.name = segment.name();
        this.kind = segment.kind();
        this.segment = segment;
        this.payload = segment.payload();
        this.lock = lock;
    }

    public final String name() {
        return name;
    }

    final int kind() {
        return kind;
    }

    /** The structure's own lock, for compound updates (Python's {@code get_lock()}). */
    public final ProcessLock lock() {
        return lock;
    }

    final synchronized boolean isClosed() {
        return closed;
    }

    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            segment.close(); // first: who attaches the structure finds its lock as long as it can find it
        } finally {
            lock.close();
        }
    }

    /** What {@code toString} shows once closed. */
    final String closedString(String type) {
        return type + "[" + name + ", closed]";
    }

    @Serial
    final Object writeReplace() {
        segment.handOff();
        lock.handOff();
        return new Ref(kind, name);
    }

    /** The serialized form: which kind of structure, and its segment's name. */
    private record Ref(int kind, String name) implements Serializable {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            SharedStructure structure = Structures.attach(kind, name);
            Segment.arrived(name);
            Segment.arrived(structure.lock.name());
            return structure;
        }
    }

    @Override
    public byte handleKind() {
        return RawHandle.STRUCTURE;
    }

    @Override
    public void writeHandle(ByteWriter out) {
        Ref ref = (Ref) writeReplace();
        out.writeInt(ref.kind()).writeString(ref.name());
    }

    /**
     * A handle {@link #writeHandle} wrote, attached in this process as its serial form's {@code readResolve}
     * does, once the serial filter allows that form's class.
     *
     * @throws IOException if the bytes are cut short, or the filter refuses the class
     */
    public static Object readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return new Ref(in.readInt(), in.readString()).readResolve();
    }
}
