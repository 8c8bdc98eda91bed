package org.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The AOT training's rehearsal of a worker's life goes through: CALL, CAPTURED and CHUNK tasks, with marks. */
class RehearsalTest {
    @Test
    @Timeout(60)
    void theRehearsalRunsToTheEnd() {
        assertThat(Rehearsal.rehearse()).isTrue();
    }
}
