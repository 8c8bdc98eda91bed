package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A recorded parent's flight-recording flag, as its children get it. */
class ChildRecordingTest {
    @Test
    void theChildRecordsBesideTheParentsFileWithTheSameSettings() {
        assertThat(JvmCommand.childRecording("-XX:StartFlightRecording:filename=/r/app.jfr,settings=profile,name=x"))
                .isEqualTo("-XX:StartFlightRecording:filename=/r/app-child-%p.jfr,settings=profile");
        assertThat(JvmCommand.childRecording("-XX:StartFlightRecording=duration=30s,filename=rec"))
                .isEqualTo("-XX:StartFlightRecording=duration=30s,filename=rec-child-%p.jfr");
    }

    @Test
    void withoutAFileNameJfrNamesEachProcesssFile() {
        assertThat(JvmCommand.childRecording("-XX:StartFlightRecording")).isEqualTo("-XX:StartFlightRecording");
        assertThat(JvmCommand.childRecording("-XX:StartFlightRecording:settings=default"))
                .isEqualTo("-XX:StartFlightRecording:settings=default");
    }
}
