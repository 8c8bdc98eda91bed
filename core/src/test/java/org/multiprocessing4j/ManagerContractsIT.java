package org.multiprocessing4j;

import java.util.List;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The map and list contracts on a manager's proxies (the server is a child JVM). */

class ManagerContractsIT extends ProcessTestSupport {
    private static Manager manager;

    @BeforeAll
    static void startManager() {
        manager = Multiprocessing.local().manager();
    }

    @AfterAll
    static void stopManager() {
        manager.close();
    }

    @Nested
    class OnADictProxy extends ConcurrentMapContract {
        @Override
        protected ConcurrentMap<String, Integer> newMap() {
            return manager.dict();
        }
    }

    @Nested
    class OnAListProxy extends ListContract {
        @Override
        protected List<String> newList() {
            return manager.list();
        }
    }
}
