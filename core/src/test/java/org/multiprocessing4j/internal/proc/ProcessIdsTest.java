package org.multiprocessing4j.internal.proc;

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

    @Test
    void aPidAloneIsRunningWhileItsProcessRunsAndNotAfter() throws Exception {
        assertThat(ProcessIds.running(ProcessHandle.current().pid())).isTrue();
        assertThat(ProcessIds.running(ProcessHandle.current().parent().orElseThrow().pid())).isTrue();
        assertThat(ProcessIds.running(0)).isFalse();
        assertThat(ProcessIds.running(-1)).isFalse();
        Process child = new ProcessBuilder("true").start(); // a process of our own, waited for
        child.waitFor();
        assertThat(ProcessIds.running(child.pid())).as("a child that has exited and been reaped").isFalse();
    }

    @Test
    void aPidIsRunningSinceATimeOnlyIfItsProcessStartedByThen() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcessIds.runningSince(self, System.currentTimeMillis())).isTrue();
        assertThat(ProcessIds.runningSince(self, 0)).as("a process started after the time is another one").isFalse();
        assertThat(ProcessIds.runningSince(0, System.currentTimeMillis())).isFalse();
    }
}
