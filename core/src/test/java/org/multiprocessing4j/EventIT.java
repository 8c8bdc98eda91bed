package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events across processes: a set in one wakes waiters in others. */
class EventIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    @Test
    void setClearAndTimedAwait() throws Exception {
        try (ProcessEvent e = ctx.event()) {
            assertThat(e.isSet()).isFalse();
            assertThat(e.await(Duration.ofMillis(10))).isFalse();
            assertThat(e.await(Duration.ZERO)).isFalse();
            e.set();
            assertThat(e.isSet()).isTrue();
            assertThat(e.await(Duration.ZERO)).isTrue();
            e.await();
            e.set();
            e.clear();
            assertThat(e.isSet()).isFalse();
            Thread.currentThread().interrupt();
            assertThatThrownBy(e::await).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void aSetInAChildWakesAWaiterHere() throws Exception {
        try (ProcessEvent e = ctx.event()) {
            ChildProcess child = ctx.process(e::set).start();
            assertThat(e.await(Duration.ofSeconds(60))).isTrue();
            child.join();
            assertThat(child.exitCode()).hasValue(0);
        }
    }

    @Test
    void aSetHereWakesWaitersInSeveralChildren() throws Exception {
        try (ProcessEvent go = ctx.event(); ProcessSemaphore ready = ctx.semaphore(0)) {
            List<ChildProcess> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(ctx.process(() -> {
                    ready.release();
                    try {
                        go.await();
                    } catch (InterruptedException ex) {
                        throw new IllegalStateException(ex);
                    }
                }).start());
            }
            for (int i = 0; i < 2; i++) {
                assertThat(ready.tryAcquire(Duration.ofSeconds(60))).isTrue();
            }
            go.set();
            for (ChildProcess w : waiters) {
                w.join();
                assertThat(w.exitCode()).hasValue(0);
            }
        }
    }
}
