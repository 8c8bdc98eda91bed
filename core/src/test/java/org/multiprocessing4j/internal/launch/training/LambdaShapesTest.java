package org.multiprocessing4j.internal.launch.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The training's lambda shapes are each linked to a class of their own and called. */
class LambdaShapesTest {
    @Test
    void everyShapeIsLinkedAndCalled() {
        int linked = LambdaShapes.run();
        assertThat(LambdaShapes.calls()).isPositive();
        assertThat(linked).isEqualTo(LambdaShapes.calls());
    }
}
