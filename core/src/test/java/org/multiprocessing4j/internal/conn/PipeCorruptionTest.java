package org.multiprocessing4j.internal.conn;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;

/**
 * A pipe's segment whose bytes another process corrupted: a message length, a position, or the ring's
 * capacity that cannot be is refused with an exception that names the pipe, never an allocation of
 * its size or a copy outside the ring.
 */
class PipeCorruptionTest {
    private static String nameOf(PipeEnd end) {
        String text = end.toString(); // PipeEnd[NAME, side …]
        return text.substring("PipeEnd[".length(), text.indexOf(','));
    }

    @Test
    void aNegativeMessageLengthIsRefused() {
        PipeEnd[] ends = PipeEnd.pipe(false);
        String name = nameOf(ends[0]);
        try (Segment view = Segment.open(name, Kinds.PIPE)) {
            ends[1].sendBytes(new byte[8], 0, 8);
            view.payload().set(JAVA_INT, PipeLayout.dataOffset(0, ShmPipe.CAPACITY), -5);
            assertThatThrownBy(ends[0]::recvBytes).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(name).hasMessageContaining("corrupt").hasMessageContaining("-5");
        } finally {
            ends[0].close();
            ends[1].close();
        }
    }

    @Test
    void aWriterPositionMoreThanARingAheadIsRefused() {
        PipeEnd[] ends = PipeEnd.pipe(false);
        String name = nameOf(ends[0]);
        try (Segment view = Segment.open(name, Kinds.PIPE)) {
            view.payload().set(JAVA_LONG, PipeLayout.ringOffset(0) + PipeLayout.TAIL, 1L << 40);
            assertThatThrownBy(ends[0]::recvBytes).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(name).hasMessageContaining("corrupt");
            view.payload().set(JAVA_LONG, PipeLayout.ringOffset(0) + PipeLayout.TAIL, 0L);
        } finally {
            ends[0].close();
            ends[1].close();
        }
    }

    @Test
    void aCapacityThatIsNotTheSegmentsIsRefusedAtAttach() {
        PipeEnd[] ends = PipeEnd.pipe(false);
        String name = nameOf(ends[0]);
        try (Segment view = Segment.open(name, Kinds.PIPE)) {
            ends[0].close();
            ends[1].close(); // this process maps it no more; the view keeps the file
            view.payload().set(JAVA_INT, 16, 1 << 30); // CAPACITY: larger than the segment
            assertThatThrownBy(() -> ShmPipe.mapped(name)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(name).hasMessageContaining("corrupt");
        }
    }
}
