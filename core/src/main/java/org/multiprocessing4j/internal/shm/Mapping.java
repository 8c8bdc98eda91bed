package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * One segment as mapped in this process: its file, its memory, this process's one slot in its attach
 * table, and how many {@link Segment} handles use it ({@link Attachments} keeps the count).
 *
 * <p><b>Concurrency.</b> Everything mutable is guarded by {@code Attachments.class}; the memory is
 * shared with every thread of every attached process.
 */
final class Mapping {
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    final String name;
    final Path path;
    final Object fileKey; // which file this is: a name may be unlinked and made again
    final Arena arena;
    final MemorySegment memory;
    final int slot;
    int leases;         // guarded by Attachments.class: open Segment handles over this mapping
    boolean handedOff;  // guarded by Attachments.class: a handle of it was serialized in this process
    boolean detached;   // guarded by Attachments.class
    long lingeringSince; // guarded by Attachments.class: System.nanoTime() when its last lease went

    Mapping(String name, Path path, Object fileKey, Arena arena, MemorySegment memory, int slot) {
        this.name = name;
        this.path = path;
        this.fileKey = fileKey;
        this.arena = arena;
        this.memory = memory;
        this.slot = slot;
    }

    int kind() {
        return memory.get(JAVA_INT, SegmentLayout.KIND_OFFSET);
    }

    /** The identity of the file at {@code path} now, or null if there is none. */
    static Object fileKeyOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether the name still leads to this mapping's file (not unlinked, not made again). */
    boolean current() {
        try {
            return Objects.equals(fileKeyOf(path), fileKey);
        } catch (IOException e) {
            return false;
        }
    }

    // ---- handoffs: handles serialized for another process, not yet deserialized there ----------------

    /** A handle of this segment is on its way to another process. */
    void handOff() {
        LONG.getAndAdd(memory, SegmentLayout.HANDOFFS_OFFSET, 1L);
    }

    /** A handle of this segment arrived (was deserialized) here. */
    void arrived() {
        while (true) {
            long n = lvHandoffs();
            if (n <= 0 || LONG.compareAndSet(memory, SegmentLayout.HANDOFFS_OFFSET, n, n - 1)) {
                return;
            }
        }
    }

    long lvHandoffs() {
        return (long) LONG.getAcquire(memory, SegmentLayout.HANDOFFS_OFFSET);
    }

    /**
     * Clears this process's slot and unmaps; removes the file if {@code removeIfLast} and no live
     * process is attached any more. Returns false if the memory could not be unmapped yet (a thread is
     * inside a native call on it): call {@link #unmap()} again later.
     */
    boolean detach(boolean removeIfLast) {
        LONG.setRelease(memory, SegmentLayout.ATTACHED_OFFSET + 8L * slot, 0L);
        boolean last = !Segments.anyLiveAttached(memory);
        Segments.untrack(name);
        if (last && removeIfLast && current()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the sweep removes it
            }
        }
        return unmap();
    }

    boolean unmap() {
        if (!memory.scope().isAlive()) {
            return true;
        }
        try {
            arena.close();
            return true;
        } catch (IllegalStateException busy) {
            return false; // a downcall holds the memory: unmapped once it returns
        }
    }
}
