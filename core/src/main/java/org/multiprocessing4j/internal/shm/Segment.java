package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.multiprocessing4j.internal.proc.ProcessIds;

/**
 * A handle on a named file under {@code /dev/shm}, mapped into this process with {@code java.lang.foreign}:
 * the memory every shared structure lives in ({@link SegmentLayout}).
 *
 * <p><b>Lifecycle.</b> {@link #create} makes the file (a name that exists is an error) and writes the
 * header; {@link #open} maps an existing one and checks magic, version and kind, and refuses a
 * symbolic link, a file another user owns (a planted segment) and a header whose payload size is
 * larger than the file. A process maps a segment once and takes one slot of its attach table (its
 * identity: pid and start time, {@link ProcessIds}), however many handles it opens or deserializes:
 * each {@code Segment} is a counted lease on that one mapping ({@link Attachments}). {@link #close}
 * releases the lease; the last one detaches the process (clears its slot, unmaps) and removes the file
 * if no live process is attached any more. A handle that becomes unreachable without being closed is
 * released by a {@link java.lang.ref.Cleaner} (not for raw shared memory, whose bytes the user holds).
 * A handle serialized for another process ({@link #handOff}) keeps the mapping after its last close
 * until the handle has arrived there ({@link #arrived}) or no process this one started is alive. A
 * process killed without closing leaves its identity in a slot: whoever next finds only dead ones
 * there removes the file ({@link Segments#sweep}, {@link ResourceTracker}). {@link #unlink} removes the
 * name at once (Python's {@code unlink()}).
 *
 * <p><b>Concurrency.</b> The header is written before the file is renamed into place, so an opener
 * never sees a half-written header. Attach slots are claimed with CAS.
 */
public final class Segment implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final int MY_UID = myUid();

    static {
        // Every futex word lives in a segment: the futex binding is linked from the first segment on, in
        // the background (FutexWarmUp), so that creating the segment does not wait for it and it is
        // usually ready before anyone waits. A platform thread that needs it sooner waits for that class
        // initialization; a virtual thread waits for the linking thread, parked (FutexWarmUp.awaitLinked).
        FutexWarmUp.start();
    }

    private final Mapping mapping;
    private final Lease lease;
    private final Cleaner.Cleanable cleanable;

    private Segment(Mapping mapping) {
        this.mapping = mapping;
        this.lease = new Lease(mapping);
        this.cleanable = mapping.kind() == Kinds.RAW ? null : Attachments.CLEANER.register(this, lease);
    }

    /** The release of one handle's lease, once: by {@link #close}, {@link #detach}, or the cleaner. */
    private static final class Lease implements Runnable {
        private final Mapping mapping;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean keepFile;

        Lease(Mapping mapping) {
            this.mapping = mapping;
        }

        @Override
        public void run() {
            if (released.compareAndSet(false, true)) {
                Attachments.release(mapping, !keepFile);
            }
        }
    }

    /** The payload's size in bytes for {@code kind}, rounded up to whole pages in the file. */
    public static Segment create(String name, int kind, long payloadSize) {
        requireName(name);
        Segments.firstUse();
        if (payloadSize < 0) {
            throw new IllegalArgumentException("size must be ≥ 0, was " + payloadSize);
        }
        Path path = Segments.pathOf(name);
        Path tmp = Segments.directory().resolve(Segments.TMP_PREFIX + name + "-" + ProcessHandle.current().pid());
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
            Mapping mapping = new Mapping(name, path, Mapping.fileKeyOf(path), arena, memory, slot);
            Attachments.created(mapping);
            return new Segment(mapping);
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
                // a stray temporary name; a later sweep removes it (Segments' strays)
            }
        }
    }

    /**
     * A handle on the existing segment {@code name}, which must hold a structure of {@code kind} (or any
     * if -1): on this process's mapping of it, or on a new one.
     */
    public static Segment open(String name, int kind) {
        requireName(name);
        Segments.firstUse();
        return new Segment(Attachments.acquire(name, kind, () -> map(name, kind)));
    }

    private static Mapping map(String name, int kind) {
        Path path = Segments.pathOf(name);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            checkOwner(name, path);
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
            long payloadSize = memory.get(JAVA_LONG, SegmentLayout.PAYLOAD_SIZE_OFFSET);
            if (payloadSize < 0 || payloadSize > size - SegmentLayout.PAYLOAD_OFFSET) {
                throw new IllegalStateException("segment '" + name + "' is corrupt: its header says a payload of "
                        + payloadSize + " bytes, its file holds " + (size - SegmentLayout.PAYLOAD_OFFSET));
            }
            int slot = attach(memory, name);
            Segments.track(name);
            return new Mapping(name, path, Mapping.fileKeyOf(path), arena, memory, slot);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new IllegalStateException("no shared segment named '" + name + "' (" + path + ")", e);
        } catch (FileSystemException e) {
            arena.close();
            if (Files.isSymbolicLink(path)) { // ELOOP from O_NOFOLLOW
                throw new IllegalStateException("shared segment '" + name + "' is a symbolic link (" + path
                        + "): refused, a segment is a file its creator made", e);
            }
            throw new IllegalStateException("cannot open shared segment '" + name + "': " + e, e);
        } catch (IOException e) {
            arena.close();
            throw new IllegalStateException("cannot open shared segment '" + name + "': " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Refuses a file another user owns: anyone may create a file at a predictable name in
     * {@code /dev/shm}, and a segment planted there would be read and written as ours.
     */
    private static void checkOwner(String name, Path path) throws IOException {
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != MY_UID) {
            throw new IllegalStateException("shared segment '" + name + "' (" + path + ") belongs to uid " + owner
                    + ", not to this process's uid " + MY_UID + ": refused");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("shared segment '" + name + "' (" + path + ") is not a regular file: refused");
        }
    }

    private static int myUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // owned by our effective uid
        } catch (IOException | UnsupportedOperationException e) {
            return -1; // no /proc: every open is refused with a message that says so
        }
    }

    /** Records this process's identity ({@link ProcessIds}) in a free slot, or in one of a process gone. */
    private static int attach(MemorySegment memory, String name) {
        long me = ProcessIds.self();
        for (int i = 0; i < SegmentLayout.SLOTS; i++) {
            long offset = SegmentLayout.ATTACHED_OFFSET + 8L * i;
            long holder = (long) LONG.getAcquire(memory, offset);
            if ((holder == 0 || !ProcessIds.alive(holder)) && LONG.compareAndSet(memory, offset, holder, me)) {
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
        return mapping.name;
    }

    /** The whole mapped file: header and payload. */
    public MemorySegment memory() {
        return mapping.memory;
    }

    /** The structure's bytes. */
    public MemorySegment payload() {
        return mapping.memory.asSlice(SegmentLayout.PAYLOAD_OFFSET, payloadSize());
    }

    public long payloadSize() {
        return mapping.memory.get(JAVA_LONG, SegmentLayout.PAYLOAD_SIZE_OFFSET);
    }

    public int kind() {
        return mapping.kind();
    }

    /** Removes the name now; processes that have it mapped keep their memory. */
    public void unlink() {
        try {
            Files.deleteIfExists(mapping.path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + mapping.path + ": " + e, e);
        }
    }

    /** Removes the name, then detaches: for a segment read once by its one reader. */
    public void unlinkAndClose() {
        unlink();
        close();
    }

    /**
     * Releases this handle without removing the file, whoever else is attached: for a segment whose
     * lifetime something else decides (a queue's message segment, {@link Kinds#QUEUE_MESSAGE}).
     */
    public void detach() {
        lease.keepFile = true;
        release();
    }

    /**
     * Releases this handle; the last of this process detaches it: clears its slot, unmaps, and removes
     * the file if no live process remains attached (unless a handle serialized here has not arrived
     * yet: see the class comment). The memory must not be used after.
     */
    @Override
    public void close() {
        release();
    }

    private void release() {
        if (cleanable != null) {
            cleanable.clean();
        } else {
            lease.run();
        }
    }

    /**
     * A handle of this segment is being serialized for another process: this process keeps the segment
     * for it, after its own last close, until it has arrived ({@link #arrived}) or no process this one
     * started is alive. For the {@code writeReplace} of every handle.
     */
    public void handOff() {
        HandOffs.noteSerialized();
        Attachments.handOff(mapping);
    }

    /** A handle of segment {@code name} was deserialized in this process: for every {@code readResolve}. */
    public static void arrived(String name) {
        Attachments.arrived(name);
    }

    /** How many handles this process has open on segment {@code name} (for tests). */
    public static int handlesOpen(String name) {
        return Attachments.leases(name);
    }

    @Override
    public String toString() {
        return "Segment[" + mapping.name + "]";
    }
}
