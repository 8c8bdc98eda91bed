package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link LockContract} on a manager's lock proxy (the server is a child JVM). A class of its own:
 * the contract's after-class checks would find a nested class's server alive.
 */
class ManagerLockIT extends LockContract {
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
    protected ProcessLock newLock() {
        return manager.lock();
    }

    @Test
    void aManagersLockHasNoConditionsAndIsNotReentrant() {
        assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class);
        assertThat(lock.isReentrant()).isFalse();
        assertThat(manager.rlock().isReentrant()).isTrue();
    }
}
