package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/** A manager's queue, on the server. */
final class ServerQueue<E> extends LinkedBlockingQueue<E> implements RemoteQueue<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    ServerQueue() {
    }

    ServerQueue(int capacity) {
        super(capacity);
    }

    @Override
    public List<E> drain(int maxElements) {
        List<E> taken = new ArrayList<>(Math.min(Math.max(maxElements, 0), 1024));
        drainTo(taken, maxElements);
        return taken;
    }
}
