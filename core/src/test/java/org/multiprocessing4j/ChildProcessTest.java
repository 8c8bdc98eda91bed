package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a ChildProcess does before any process exists: configuration and misuse, in the caller. */
class ChildProcessTest {
    private final Context ctx = Multiprocessing.local();

    @Test
    void defaultNamesCountUpAsPythonsProcessN() {
        ChildProcess a = ctx.process(() -> { });
        ChildProcess b = ctx.process(() -> { });
        assertThat(a.name()).matches("ChildProcess-\\d+");
        int n = Integer.parseInt(a.name().substring("ChildProcess-".length()));
        assertThat(b.name()).isEqualTo("ChildProcess-" + (n + 1));
        assertThat(a.name("worker").name()).isEqualTo("worker");
    }

    @Test
    void aNewProcessIsNotAliveAndHasNoExitCode() {
        ChildProcess p = ctx.process(() -> { });
        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitCode()).isEmpty();
        assertThat(p.toString()).contains("initial");
    }

    @Test
    void usingAProcessBeforeStartIsAnIllegalStateException() {
        ChildProcess p = ctx.process(() -> { });
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(() -> p.join(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::terminate).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::kill).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::pid).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::onExit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nullsAreNullPointerExceptions() {
        assertThatThrownBy(() -> ctx.process(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChildProcess(null)).isInstanceOf(NullPointerException.class);
        ChildProcess p = ctx.process(() -> { });
        assertThatThrownBy(() -> p.name(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.join(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.jvmOptions("-Xmx64m", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Multiprocessing.local(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNegativeTimeoutIsAnIllegalArgumentException() {
        ChildProcess p = ctx.process(() -> { });
        assertThatThrownBy(() -> p.join(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.001S");
    }

    @Test
    void anUnserializableCaptureFailsStartNamingTheClassAndStartsNothing() {
        Thread notSerializable = Thread.currentThread();
        ChildProcess p = ctx.process(() -> System.out.println(notSerializable.getName()));
        long before = ProcessHandle.current().children().count();
        assertThatThrownBy(p::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Thread")
                .hasMessageContaining("Nothing was started");
        assertThat(ProcessHandle.current().children().count()).isEqualTo(before);
        assertThat(p.isAlive()).isFalse();
        assertThat(Multiprocessing.activeChildren()).doesNotContain(p);
    }

    @Test
    void theMainProcessKnowsItself() {
        ProcessInfo me = Multiprocessing.currentProcess();
        assertThat(me.name()).isEqualTo("MainProcess");
        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.daemon()).isFalse();
        assertThat(Multiprocessing.parentProcess()).isEmpty();
    }

    @Test
    void theDefaultContextSpawnsAndIsOnePerMethod() {
        assertThat(Multiprocessing.local().startMethod()).isEqualTo(StartMethod.SPAWN);
        assertThat(Multiprocessing.local(StartMethod.SPAWN)).isSameAs(Multiprocessing.local());
    }
}
