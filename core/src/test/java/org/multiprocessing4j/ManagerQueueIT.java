package org.multiprocessing4j;

import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link QueueContract} on a manager's queue proxies ({@code manager.queue()} and
 * {@code manager.queue(maxsize)}; the server is a child JVM). A class of its own, not a nested one of
 * {@link ManagerContractsIT}: the contract's after-class checks would find that class's server alive.
 */
class ManagerQueueIT extends QueueContract {
    private static Manager manager;

    @BeforeAll
    static void startManager() {
        manager = Multiprocessing.local().manager();
    }

    @AfterAll
    static void stopManager() {
        manager.close();
    }

    @Override
    protected BlockingQueue<Integer> bounded(int capacity) {
        return manager.queue(capacity);
    }

    @Override
    protected BlockingQueue<Integer> unbounded() {
        return manager.queue();
    }
}
