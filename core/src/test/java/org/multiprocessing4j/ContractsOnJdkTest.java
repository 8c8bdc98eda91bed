package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Nested;

/** The map and list contracts hold for the JDK's own implementations: the contracts are right. */
class ContractsOnJdkTest {

    @Nested
    class OnConcurrentHashMap extends ConcurrentMapContract {
        @Override
        protected ConcurrentMap<String, Integer> newMap() {
            return new ConcurrentHashMap<>();
        }
    }

    @Nested
    class OnArrayList extends ListContract {
        @Override
        protected List<String> newList() {
            return new ArrayList<>();
        }
    }
}
