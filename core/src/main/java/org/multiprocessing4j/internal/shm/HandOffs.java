package org.multiprocessing4j.internal.shm;

/**
 * Per thread, how many handles of shared memory (a segment's, or a pipe's ring) it has serialized for
 * another process: a launch message holds one if the count grew while the message was written, and its
 * child then links the futex binding beside its object stream. A class of its own, without a static
 * initializer beyond its thread-local: counting must not initialize {@link Segment} (and start the futex
 * binding's linking) in a process that serializes no handle.
 */
public final class HandOffs {
    /** No initial value: no lambda on this path. */
    private static final ThreadLocal<int[]> SERIALIZED = new ThreadLocal<>();

    private HandOffs() {}

    /** A handle is being serialized on this thread: for every handle's {@code writeReplace}. */
    public static void noteSerialized() {
        int[] count = SERIALIZED.get();
        if (count == null) {
            SERIALIZED.set(new int[] {1});
        } else {
            count[0]++;
        }
    }

    /** How many handles this thread has serialized (compare two readings; it may wrap). */
    public static int onThisThread() {
        int[] count = SERIALIZED.get();
        return count == null ? 0 : count[0];
    }
}
