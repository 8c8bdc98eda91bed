package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Which task a worker is running, in a small file both the pool and the worker map: the worker marks
 * each task as it starts and as it ends, the pool reads the marks when the worker dies (they outlive
 * the process: the pages are the file's) and may forbid any further start. This is how the pool
 * blames the task that was running, not the first one it has no answer for (results travel on a
 * writer thread, behind the tasks). A mark is a store to memory, no message and no system call.
 *
 * <p><b>Memory layout.</b>
 * <pre>
 *   0               8               16
 *   +---------------+---------------+
 *   | STARTED long  | FINISHED long |
 *   +---------------+---------------+
 * </pre>
 * {@code STARTED}: the id of the last task the worker began (0: none yet), or {@link #STOPPED} once the
 * pool has said that no task may start any more. {@code FINISHED}: the id of the last task whose run
 * ended (its result computed). Task ids are unique and positive; a worker runs its tasks in the order
 * it was sent them, one at a time, so a task sent before the started one has been computed, one sent
 * after it has never started.
 *
 * <p><b>Concurrency.</b> The worker writes both words; the pool only swaps {@code STARTED} to
 * {@code STOPPED}, which is why the worker starts a task with a compare-and-set from the value it
 * last wrote: once the pool has stopped it, no task starts, and the pool knows exactly which did.
 */
final class TaskMarks implements AutoCloseable {
    static final long STOPPED = -1;
    private static final int STARTED_OFFSET = 0;
    private static final int FINISHED_OFFSET = 8;
    static final long SIZE = 16;
    /**
     * A byte buffer's view rather than the memory segment's ({@code ValueLayout.JAVA_LONG.varHandle()}):
     * the segment's var handle is adapted at run time, 7–10 ms of a worker's first task that the AOT
     * cache does not remove; a byte buffer's is a class of the JDK's. The buffer is the mapped segment's
     * (its arena unmaps it on close), direct and aligned, so its compare-and-set is atomic.
     */
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Arena arena;
    private final ByteBuffer words;
    private long lastStarted; // the worker's own: what STARTED holds unless the pool stopped it

    private TaskMarks(FileChannel channel) throws IOException {
        Arena mapping = Arena.ofShared();
        try {
            this.words = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, mapping).asByteBuffer();
        } catch (IOException | RuntimeException e) {
            mapping.close();
            throw e;
        }
        this.arena = mapping;
    }

    /** The pool's side: a new, zeroed file, mapped. */
    static TaskMarks create(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate((int) SIZE), 0);
            return new TaskMarks(channel);
        }
    }

    /** The worker's side: the pool's file, mapped for the worker's life. */
    static TaskMarks open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (channel.size() != SIZE) {
                throw new IOException("task marks " + file + " have " + channel.size() + " bytes, not " + SIZE);
            }
            return new TaskMarks(channel);
        }
    }

    // ---------------------------------------------------------------- the worker's side

    /** Marks task {@code id} as started; false if the pool has stopped this worker (the task must not run). */
    boolean start(long id) {
        if (!LONG.compareAndSet(words, STARTED_OFFSET, lastStarted, id)) {
            return false;
        }
        lastStarted = id;
        return true;
    }

    /** Marks task {@code id}'s run as ended. */
    void finish(long id) {
        LONG.setRelease(words, FINISHED_OFFSET, id);
    }

    // ---------------------------------------------------------------- the pool's side

    long lvStarted() {
        return (long) LONG.getVolatile(words, STARTED_OFFSET);
    }

    long lvFinished() {
        return (long) LONG.getVolatile(words, FINISHED_OFFSET);
    }

    /** Forbids any further start; returns the id of the last task started (0 if none), for good. */
    long stop() {
        long started = (long) LONG.getAndSet(words, STARTED_OFFSET, STOPPED);
        return started;
    }

    @Override
    public void close() {
        arena.close();
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the pool's directory goes as a whole when it closes
        }
    }
}
