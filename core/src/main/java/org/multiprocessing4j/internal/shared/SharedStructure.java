package org.multiprocessing4j.internal.shared;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.sync.ShmLock;

/**
 * What every shared value and array has: its segment, mapped once per process, its lock, and its
 * serialized form (the kind and the name; deserializing attaches, never copies).
 *
 * <p><b>Lifecycle.</b> Made by {@code create} in one process and by {@link Attachments#attach} in
 * every other (the first deserialization there opens the segment; later ones in the same process get
 * the same object, so a task capturing a value a million times attaches once). {@link #close()}
 * detaches this process, from the structure and from its lock; the segment goes when its last process
 * closes it or exits ({@code Segments}).
 *
 * <p><b>Concurrency.</b> Any thread may use the structure; after {@link #close()} the mapping is gone
 * and every access throws {@link IllegalStateException}.
 */
abstract class SharedStructure implements Serializable {
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
        Attachments.forget(this);
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
        return new Ref(kind, name);
    }

    /** The serialized form: which kind of structure, and its segment's name. */
    private record Ref(int kind, String name) implements Serializable {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            return Attachments.attach(kind, name);
        }
    }
}
