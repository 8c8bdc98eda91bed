package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessPool.Builder} checks every argument in the caller, with the bad value in the message,
 * before any process starts: each case here starts none. Run once per backend ({@link #context()}), so
 * that no backend's builder drifts from the others.
 */
public abstract class PoolBuilderContract {
    private long childrenBefore;

    /** The context whose {@link Context#poolBuilder()} is checked. */
    protected abstract Context context();

    private ProcessPool.Builder builder() {
        return context().poolBuilder();
    }

    @BeforeEach
    void countChildren() {
        context();
        childrenBefore = ProcessHandle.current().children().count();
    }

    private void assertNothingStarted() {
        assertThat(ProcessHandle.current().children().count()).as("nothing started").isEqualTo(childrenBefore);
    }

    @Test
    void processesMustBePositive() {
        assertThatThrownBy(() -> builder().processes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processes").hasMessageContaining("0");
        assertThatThrownBy(() -> builder().processes(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> context().pool(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertNothingStarted();
    }

    @Test
    void maxTasksPerChildMustBePositive() {
        assertThatThrownBy(() -> builder().maxTasksPerChild(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTasksPerChild").hasMessageContaining("0");
        assertThatThrownBy(() -> builder().maxTasksPerChild(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void taskTimeoutMustBePositive() {
        assertThatThrownBy(() -> builder().taskTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskTimeout");
        assertThatThrownBy(() -> builder().taskTimeout(Duration.ofSeconds(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> builder().taskTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void maxMemoryPerChildMustBePositive() {
        assertThatThrownBy(() -> builder().maxMemoryPerChild(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMemoryPerChild").hasMessageContaining("0");
        assertThatThrownBy(() -> builder().maxMemoryPerChild(-1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1024");
    }

    @Test
    void theInitializerMustNotBeNull() {
        assertThatThrownBy(() -> builder().initializer(null)).isInstanceOf(NullPointerException.class);
    }

    /** The cluster's builder once took any option and left it to fail in a member, at the first task. */
    @Test
    void jvmOptionsMustBeNonNullAndNonBlank() {
        assertThatThrownBy(() -> builder().jvmOptions((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder().jvmOptions("-Xmx64m", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("JVM option");
        assertThatThrownBy(() -> builder().jvmOptions("-Xmx64m", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JVM option");
        assertThatThrownBy(() -> builder().jvmOptions("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JVM option");
        assertNothingStarted();
    }

    @Test
    void validSettingsAreAcceptedAndChain() {
        ProcessPool.Builder b = builder();
        assertThat(b.processes(1).maxTasksPerChild(1).taskTimeout(Duration.ofMillis(1)).maxMemoryPerChild(1)
                .jvmOptions().jvmOptions("-Xmx64m").initializer(() -> {})).isSameAs(b);
        assertNothingStarted();
    }
}
