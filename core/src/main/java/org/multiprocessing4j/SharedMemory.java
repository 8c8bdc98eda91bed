package org.multiprocessing4j;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.multiprocessing4j.spi.LocalBackend;
import org.multiprocessing4j.spi.LocalBackend.SharedSegment;

/**
 * A named block of memory shared between processes: Python's
 * {@code multiprocessing.shared_memory.SharedMemory}, as a {@link MemorySegment}.
 *
 * <pre>{@code
 * try (SharedMemory shm = ctx.sharedMemory("frames", 1 << 20)) {      // create
 *     ctx.process(() -> {
 *         try (SharedMemory same = SharedMemory.open("frames")) {      // attach, in the child
 *             same.segment().set(ValueLayout.JAVA_INT, 0, 42);
 *         }
 *     }).start().join();
 *     shm.segment().get(ValueLayout.JAVA_INT, 0);                      // 42
 * }
 * }</pre>
 *
 * <p>It is a file {@code /dev/shm/mp4j.NAME}. {@link #close()} detaches this process; the file is
 * removed when the last process attached to it closes or exits, or, if they were all killed, by the
 * next process that uses shared memory (or {@code mp4j clean}). {@link #unlink()} removes the name at
 * once, as Python's does. Serializable: captured by a task, it attaches to the same memory in the
 * child, never a copy.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient SharedSegment segment;

    private SharedMemory(SharedSegment segment) {
        this.name = segment.name();
        this.segment = segment;
    }

    /**
     * Creates a segment of {@code size} bytes, zeroed.
     *
     * @throws IllegalArgumentException if {@code size} is negative or the name is not 1–200 of
     *         {@code [A-Za-z0-9._-]}
     * @throws IllegalStateException if a segment with that name exists
     */
    public static SharedMemory create(String name, long size) {
        return new SharedMemory(LocalBackend.get().createSegment(name, size));
    }

    /** Attaches to the existing segment {@code name}. @throws IllegalStateException if there is none */
    public static SharedMemory open(String name) {
        return new SharedMemory(LocalBackend.get().openSegment(name));
    }

    public String name() {
        return name;
    }

    /** The size given at creation, in bytes. */
    public long size() {
        return segment.size();
    }

    /** The shared bytes. Plain accesses are not ordered across processes: use a lock or VarHandle atomics. */
    public MemorySegment segment() {
        return segment.payload();
    }

    /** Detaches this process; the memory must not be used after. */
    @Override
    public void close() {
        segment.close();
    }

    /** Removes the name now: nobody can open it any more; those attached keep their memory. */
    public void unlink() {
        segment.unlink();
    }

    @Serial
    private Object writeReplace() {
        segment.handOff(); // kept for the process it goes to, should this one close it first
        return new Ref(name);
    }

    /** The serialized form: the name only. */
    private record Ref(String name) implements Serializable {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            try {
                return SharedMemory.open(name);
            } finally {
                LocalBackend.get().arrived(name);
            }
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + Objects.requireNonNullElse(segment, "detached") + "]";
    }
}
