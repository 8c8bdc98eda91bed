package org.multiprocessing4j.internal.wire;

/**
 * A handle of the library's shared memory (a queue, a lock, an event, a semaphore, a barrier, a shared
 * value or array, a pipe's end) that a lambda's captured values carry as the few raw values its serial
 * form holds ({@link HandleValues}, which holds the readers' table), so that a child reads its target
 * ({@code LaunchRequest}'s form {@code LAMBDA_SHARED}), and a pool's worker a task, without an object
 * stream.
 *
 * <p>Both directions are the serial form's own: {@link #writeHandle} runs the handle's
 * {@code writeReplace} (the handle is handed off: kept mapped for the process it goes to) and writes the
 * fields of what it returned; the reader ({@code readHandle} of each class) checks that form's class
 * against the serial filter ({@link #requireAllowed}), as an object stream would, builds it from the
 * fields and runs its {@code readResolve} (the attach, and what that does for the hand-off). A handle
 * written here and one serialized are the same to both processes.
 */
public interface RawHandle extends AutoCloseable {
    /** A {@code ProcessQueue} or {@code JoinableQueue}: string segment, boolean joinable. */
    byte QUEUE = 1;
    /** A shared value or array: int structure kind, string segment. */
    byte STRUCTURE = 2;
    /** A pipe's end: string segment, int side, boolean duplex. */
    byte PIPE_END = 3;
    /** A lock (plain or reentrant): string segment. */
    byte LOCK = 4;
    /** An event: string segment. */
    byte EVENT = 5;
    /** A semaphore (plain or bounded): string segment. */
    byte SEMAPHORE = 6;
    /** A barrier: string segment. */
    byte BARRIER = 7;

    /** Which of the kinds above this handle is. */
    byte handleKind();

    /** Hands this handle off, as its {@code writeReplace} does, and writes the fields of its serial form. */
    void writeHandle(ByteWriter out);

    /**
     * Refuses {@code serialForm}, the class of a handle's serial form, where the serial filter's class
     * rules would refuse it in an object stream.
     *
     * @throws java.io.InvalidClassException if they do
     */
    static void requireAllowed(Class<?> serialForm) throws java.io.InvalidClassException {
        if (!SerialFilter.allows(serialForm)) {
            throw new java.io.InvalidClassException(serialForm.getName(), "rejected by the serial filter");
        }
    }
}
