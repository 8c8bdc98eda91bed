package org.multiprocessing4j.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessIdsTest {
    @Test
    void anIdentityIsPidAndStartTime() {
        long self = ProcessIds.self();
        assertThat(ProcessIds.pid(self)).isEqualTo(ProcessHandle.current().pid());
        assertThat(ProcessIds.identityOf(ProcessHandle.current().pid())).isEqualTo(self);
        assertThat(ProcessIds.startTime(self)).isNotZero();
        assertThat(ProcessIds.alive(self)).isTrue();
    }

    @Test
    void aLivePidWithAnotherStartTimeIsNotTheSameProcess() {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        long identity = ProcessIds.identityOf(parent);
        assertThat(ProcessIds.alive(identity)).isTrue();
        assertThat(ProcessIds.alive(ProcessIds.compose(parent, ProcessIds.startTime(identity) + 1L))).isFalse();
        assertThat(ProcessIds.alive(0)).isFalse();
    }
}
