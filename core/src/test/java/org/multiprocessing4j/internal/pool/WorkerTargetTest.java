package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.SerializedLambda;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.wire.CapturedLambda;
import org.multiprocessing4j.internal.wire.DirectLambda;

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
    void aWorkersTargetWithoutAnInitializerIsCalledDirectlyInItsChild() throws Exception {
        // no lambda class is spun for it in the worker's JVM (docs/launch.md, "Pool creation")
        SerializableRunnable plain = WorkerMain.launchTarget("pool.sock", "worker-1.marks", 1, null, false, true);
        SerializedLambda parts = CapturedLambda.partsOf(plain);
        assertThat(parts).isNotNull();
        assertThat(DirectLambda.runnable(CapturedLambda.shape(parts), CapturedLambda.values(parts)))
                .isInstanceOf(DirectLambda.class);
    }

    @Test
    void anyOtherTargetIsNot() {
        SerializableRunnable user = () -> { };
        assertThat(WorkerMain.isWorkerTarget(user.getClass())).isFalse();
        assertThat(WorkerMain.isWorkerTarget(ChildProcess.class)).isFalse();
        assertThat(WorkerMain.isWorkerTarget(null)).isFalse();
    }
}
