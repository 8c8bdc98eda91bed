package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SerializableRunnable;

/** The launcher tells a pool worker's child by its target's class, with or without an initializer. */
class WorkerTargetTest {
    @Test
    void aWorkersTargetIsKnownWithAndWithoutAnInitializer() {
        // the socket is never opened: only the target's class is looked at
        SerializableRunnable plain = WorkerMain.launchTarget("pool.sock", null, 1, null, false, false);
        SerializableRunnable initialized = WorkerMain.launchTarget("pool.sock", null, 1, () -> { }, false, false);
        assertThat(WorkerMain.isWorkerTarget(plain.getClass())).isTrue();
        assertThat(WorkerMain.isWorkerTarget(initialized.getClass())).isTrue();
    }

    @Test
    void anyOtherTargetIsNot() {
        SerializableRunnable user = () -> { };
        assertThat(WorkerMain.isWorkerTarget(user.getClass())).isFalse();
        assertThat(WorkerMain.isWorkerTarget(ChildProcess.class)).isFalse();
        assertThat(WorkerMain.isWorkerTarget(null)).isFalse();
    }
}
