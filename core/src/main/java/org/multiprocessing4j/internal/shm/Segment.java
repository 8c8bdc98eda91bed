package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named file under {@code /dev/shm}, mapped into this process with {@code java.lang.foreign}: the
 * memory every shared structure lives in ({@link SegmentLayout}).
 *
 * <p><b>Lifecycle.</b> {@link #create} makes the file (a name that exists is an error) and writes the
 * header; {@link #open} maps an existing one and checks magic, version and kind. Either way this
 * process records its pid in a free slot of the attach table. {@link #close} clears the slot, unmaps,
 * and removes the file if no live process is attached any more. A process killed without closing
 * leaves its pid in a slot: whoever next finds only dead pids there removes the file
 * ({@link Segments#sweep}). {@link #unlink} removes the name at once (Python's {@code unlink()}).
 *
 * <p><b>Concurrency.</b> The header is written before the file is renamed into place, so an opener
 * never sees a half-written header. Attach slots are claimed with CAS.
 */
public final class Segment implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    static {
        // Every futex word lives in a segment: the futex binding is ready before anyone waits, so that
        // no virtual thread waits for its (slow, native) class initialization, which pins the carrier.
        Futex.prepare();
    }

    private final String name;
    private final Path path;
    private final Arena arena;
    private final MemorySegment memory;
    private final int slot;
    private boolean closed; // guarded by this

    private Segment(String name, Path path, Arena arena, MemorySegment memory, int slot) {
        this.name = name;
        this.path = path;
        this.arena = arena;
        this.memory = memory;
        this.slot = slot;
    }

    /** The payload's size in bytes for {@code kind}, rounded up to whole pages in the file. */
    public static Segment create(String name, int kind, long payloadSize) {
        requireName(name);
        Segments.firstUse();
        if (payloadSize < 0) {
            throw new IllegalArgumentException("size must be ≥ 0, was " + payloadSize);
        }
        Path path = Segments.pathOf(name);
        Path tmp = Segments.directory().resolve(".tmp-" + name + "-" + ProcessHandle.current().pid());
        long fileSize = SegmentLayout.PAYLOAD_OFFSET + Math.max(8, payloadSize);
        Arena arena = Arena.ofShared();
        try {
            if (Files.exists(path)) {
                throw new IllegalStateException("a shared segment named '" + name + "' exists already (" + path + ")");
            }
            MemorySegment memory = Segments.createFile(tmp, fileSize, arena); // rw-------
            memory.set(JAVA_INT, SegmentLayout.VERSION_OFFSET, SegmentLayout.VERSION);
            memory.set(JAVA_INT, SegmentLayout.KIND_OFFSET, kind);
            memory.set(JAVA_LONG, SegmentLayout.PAYLOAD_SIZE_OFFSET, payloadSize);
            memory.set(JAVA_LONG, SegmentLayout.CREATOR_PID_OFFSET, ProcessHandle.current().pid());
            memory.set(JAVA_LONG, SegmentLayout.CREATED_MILLIS_OFFSET, System.currentTimeMillis());
            LONG.setRelease(memory, SegmentLayout.MAGIC_OFFSET, SegmentLayout.MAGIC);
            int slot = attach(memory, name);
            try {
                Files.createLink(path, tmp); // fails if the name appeared meanwhile: create is exclusive
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException("a shared segment named '" + name + "' exists already (" + path + ")");
            }
            Segments.track(name);
            ResourceTracker.register(name);
            return new Segment(name, path, arena, memory, slot);
        } catch (IOException e) {
            arena.close();
            throw new IllegalStateException("cannot create shared segment '" + name + "': " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temporary name; the sweep removes it
            }
        }
    }

    /** Maps the existing segment {@code name}, which must hold a structure of {@code kind} (or any if -1). */
    public static Segment open(String name, int kind) {
        requireName(name);
        Segments.firstUse();
        Path path = Segments.pathOf(name);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < SegmentLayout.PAYLOAD_OFFSET) {
                throw new IllegalStateException("'" + name + "' is not a multiprocessing4j segment: " + size + " bytes");
            }
            MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            long magic = (long) LONG.getAcquire(memory, SegmentLayout.MAGIC_OFFSET);
            if (magic != SegmentLayout.MAGIC) {
                throw new IllegalStateException("'" + name + "' is not a multiprocessing4j segment (magic 0x"
                        + Long.toHexString(magic) + ")");
            }
            int version = memory.get(JAVA_INT, SegmentLayout.VERSION_OFFSET);
            if (version != SegmentLayout.VERSION) {
                throw new IllegalStateException("segment '" + name + "' has layout version " + version
                        + ", this library reads " + SegmentLayout.VERSION);
            }
            int actual = memory.get(JAVA_INT, SegmentLayout.KIND_OFFSET);
            if (kind >= 0 && actual != kind) {
                throw new IllegalStateException("segment '" + name + "' holds a " + Segments.kindName(actual)
                        + ", not a " + Segments.kindName(kind));
            }
            int slot = attach(memory, name);
            Segments.track(name);
            return new Segment(name, path, arena, memory, slot);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new IllegalStateException("no shared segment named '" + name + "' (" + path + ")", e);
        } catch (IOException e) {
            arena.close();
            throw new IllegalStateException("cannot open shared segment '" + name + "': " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static int attach(MemorySegment memory, String name) {
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < SegmentLayout.SLOTS; i++) {
            long offset = SegmentLayout.ATTACHED_OFFSET + 8L * i;
            long holder = (long) LONG.getAcquire(memory, offset);
            if ((holder == 0 || !Segments.alive(holder)) && LONG.compareAndSet(memory, offset, holder, pid)) {
                return i;
            }
        }
        throw new IllegalStateException("shared segment '" + name + "' has " + SegmentLayout.SLOTS
                + " live processes attached; no room for another");
    }

    static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a segment name is 1-200 of [A-Za-z0-9._-], was '" + name + "'");
        }
    }

    public String name() {
        return name;
    }

    /** The whole mapped file: header and payload. */
    public MemorySegment memory() {
        return memory;
    }

    /** The structure's bytes. */
    public MemorySegment payload() {
        return memory.asSlice(SegmentLayout.PAYLOAD_OFFSET, payloadSize());
    }

    public long payloadSize() {
        return memory.get(JAVA_LONG, SegmentLayout.PAYLOAD_SIZE_OFFSET);
    }

    public int kind() {
        return memory.get(JAVA_INT, SegmentLayout.KIND_OFFSET);
    }

    /** Removes the name now; processes that have it mapped keep their memory. */
    public void unlink() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + path + ": " + e, e);
        }
    }

    /** Removes the name, then detaches: for a segment read once by its one reader. */
    public void unlinkAndClose() {
        unlink();
        close();
    }

    /**
     * Detaches this process without removing the file, whoever else is attached: for a segment whose
     * lifetime something else decides (a queue's message segment, {@link Kinds#QUEUE_MESSAGE}).
     */
    public synchronized void detach() {
        if (closed) {
            return;
        }
        closed = true;
        LONG.setRelease(memory, SegmentLayout.ATTACHED_OFFSET + 8L * slot, 0L);
        arena.close();
        Segments.untrack(name);
    }

    /**
     * Detaches this process: clears its slot, unmaps, and removes the file if no live process remains
     * attached. The memory must not be used after.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LONG.setRelease(memory, SegmentLayout.ATTACHED_OFFSET + 8L * slot, 0L);
        boolean last = !Segments.anyLiveAttached(memory);
        arena.close();
        Segments.untrack(name);
        if (last) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the sweep removes it
            }
        }
    }
}
