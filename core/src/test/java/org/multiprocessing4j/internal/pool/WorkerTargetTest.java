package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aWorkersSettingsComeBackAsTheyWereWritten() {
        // never opened: a space and a slash in them, as a real directory may have; only NUL separates fields
        String socket = "mp4j-12-pool 7/pool-1.sock";
        String marks = "mp4j-12-pool 7/worker-3.marks";
        assertThat(WorkerMain.fromSettings(WorkerMain.settings(socket, marks, 3, true, false)))
                .hasToString(new WorkerMain(socket, marks, 3, null, true, false).toString());
        assertThat(WorkerMain.fromSettings(WorkerMain.settings("pool.sock", null, 9, false, true)))
                .as("no marks file").hasToString(new WorkerMain("pool.sock", null, 9, null, false, true).toString());
    }

    @Test
    void malformedSettingsAreRefused() {
        assertThatThrownBy(() -> WorkerMain.fromSettings(String.join("\0", "pool.sock", "marks", "3", "true")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 fields");
        String notAFlag = String.join("\0", "pool.sock", "marks", "3", "yes", "false");
        assertThatThrownBy(() -> WorkerMain.fromSettings(notAFlag)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yes");
        String notANumber = String.join("\0", "pool.sock", "marks", "three", "true", "false");
        assertThatThrownBy(() -> WorkerMain.fromSettings(notANumber))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyOtherTargetIsNot() {
        SerializableRunnable user = () -> { };
        assertThat(WorkerMain.isWorkerTarget(user.getClass())).isFalse();
        assertThat(WorkerMain.isWorkerTarget(ChildProcess.class)).isFalse();
        assertThat(WorkerMain.isWorkerTarget(null)).isFalse();
    }
}
