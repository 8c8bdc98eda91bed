package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * Bytes of a queue's segment that another process (or a stray write) corrupted are refused with an
 * exception that names the queue, never a {@code NegativeArraySizeException} or a huge allocation;
 * and a claimed record whose writer's pid now belongs to another process is dropped.
 */
class RingCorruptionTest {
    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE, 57, 1 << 30, Integer.MAX_VALUE})
    void aRecordLengthThatDoesNotFitItsSlotsIsRefused(int length) throws Exception {
        try (Ring ring = Ring.create(Segments.newName("ringtest"), false, 100, 16);
                Segment view = Segment.open(ring.name(), Kinds.QUEUE)) {
            ring.put(ring.prepare(new byte[40]), -1); // one slot: 8 + 45 bytes
            MemorySegment m = view.payload();
            m.set(JAVA_INT, QueueLayout.dataOffset(16), length);

            assertThatThrownBy(() -> ring.take(-1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(ring.name()).hasMessageContaining("corrupt")
                    .hasMessageContaining(Integer.toString(length));
            ring.put(ring.prepare("next"), -1); // the queue goes on
            assertThat(ring.take(-1)).isEqualTo("next");
        }
    }

    @Test
    void aRecordOfUnknownTypeIsRefused() throws Exception {
        try (Ring ring = Ring.create(Segments.newName("ringtest"), false, 100, 16);
                Segment view = Segment.open(ring.name(), Kinds.QUEUE)) {
            ring.put(ring.prepare(java.util.List.of(1, 2)), -1);
            view.payload().set(JAVA_INT, QueueLayout.dataOffset(16) + 4, 99);
            assertThatThrownBy(() -> ring.take(-1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(ring.name()).hasMessageContaining("type 99");
        }
    }

    @Test
    void aRecordNamingASegmentNotOfItsQueueIsRefused() throws Exception {
        try (Ring ring = Ring.create(Segments.newName("ringtest"), false, 100, 16);
                Segment other = Segment.create(Segments.newName("victim"), Kinds.QUEUE_MESSAGE, 16);
                Segment view = Segment.open(ring.name(), Kinds.QUEUE)) {
            byte[] name = other.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ring.put(ring.prepare(new byte[name.length - 5]), -1); // a record as long as the name (tag and length: 5 bytes)
            MemorySegment m = view.payload();
            long record = QueueLayout.dataOffset(16);
            m.set(JAVA_INT, record + 4, QueueLayout.TYPE_SEGMENT);
            MemorySegment.copy(name, 0, m, java.lang.foreign.ValueLayout.JAVA_BYTE, record + 8, name.length);

            assertThatThrownBy(() -> ring.take(-1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(ring.name()).hasMessageContaining(other.name());
            assertThat(java.nio.file.Files.exists(Segments.directory().resolve("mp4j." + other.name()))).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -16, 17, 1 << 21, 1 << 20})
    void aSlotCountThatIsNotTheSegmentsIsRefusedAtAttach(int slots) {
        try (Ring ring = Ring.create(Segments.newName("ringtest"), false, 100, 16);
                Segment view = Segment.open(ring.name(), Kinds.QUEUE)) {
            view.payload().set(JAVA_INT, QueueLayout.SLOTS_OFFSET, slots);
            assertThatThrownBy(() -> Ring.open(ring.name(), false)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(ring.name()).hasMessageContaining("corrupt");
            view.payload().set(JAVA_INT, QueueLayout.SLOTS_OFFSET, 16);
        }
    }

    @Test
    void aClaimedRecordWhoseWritersPidWasReusedIsDropped() throws Exception {
        long other = ProcessHandle.current().parent().orElseThrow().pid(); // alive, not us
        long identity = ProcessIds.identityOf(other);
        try (Ring ring = Ring.create(Segments.newName("ringtest"), false, 100, 16);
                Segment view = Segment.open(ring.name(), Kinds.QUEUE)) {
            MemorySegment m = view.payload();
            claim(m, other, identity); // its writer is alive: the record waits
            assertThat(ring.poll(true)).isNull();
            assertThat(ring.count()).isEqualTo(1);

            m.set(JAVA_LONG, QueueLayout.SEQ_OFFSET + QueueLayout.OWNER,
                    ProcessIds.compose(other, (identity >>> 32) + 1)); // the pid is another process's now
            assertThat(ring.poll(true)).isNull();
            assertThat(ring.count()).isZero(); // dropped
            ring.put(ring.prepare("next"), -1);
            assertThat(ring.take(-1)).isEqualTo("next");
        }
    }

    private static void claim(MemorySegment m, long pid, long identity) {
        m.set(JAVA_LONG, QueueLayout.SEQ_OFFSET, QueueLayout.word(0, 1, pid, QueueLayout.CLAIMED));
        m.set(JAVA_LONG, QueueLayout.SEQ_OFFSET + QueueLayout.OWNER, identity);
        m.set(JAVA_LONG, QueueLayout.TAIL_OFFSET, 1);
        m.set(JAVA_LONG, QueueLayout.PUTS_OFFSET, 1);
    }
}
