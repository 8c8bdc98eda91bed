package org.multiprocessing4j.internal.manager;

import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * What a manager's queue answers: {@link BlockingQueue}, and {@link #drain}, which {@link QueueProxy}'s
 * {@code drainTo} calls: the collection to drain into is the caller's, so the elements must come back
 * (a {@code drainTo} run on the server would fill a copy of it there).
 */
interface RemoteQueue<E> extends BlockingQueue<E> {
    /** Removes at most {@code maxElements} elements, head first, and returns them. */
    List<E> drain(int maxElements);
}
