package org.multiprocessing4j.internal.shared;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;

/** Opening a value or an array checks what the segment holds: kind, magic, version, sizes. */
class SharedLayoutsTest {

    @AfterEach
    void nothingOfOursIsLeft() {
        long self = ProcessHandle.current().pid();
        assertThat(Segments.list()).filteredOn(s -> s.creatorPid() == self).isEmpty();
    }

    @Test
    void openingAnotherKindIsRefused() {
        try (ShmIntArray array = ShmIntArray.create(4)) {
            assertThatThrownBy(() -> ShmLong.open(array.name())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("holds a shared int array, not a shared long");
            assertThatThrownBy(() -> Structures.attach(Kinds.LONG_ARRAY, array.name()))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(Segment.handlesOpen(array.name())).isEqualTo(1);
            SharedStructure again = Structures.attach(Kinds.INT_ARRAY, array.name());
            try {
                ((ShmIntArray) again).set(0, 7);
                assertThat(array.get(0)).isEqualTo(7); // the same memory: one mapping, two handles
                assertThat(Segment.handlesOpen(array.name())).isEqualTo(2);
            } finally {
                again.close();
            }
            assertThat(Segment.handlesOpen(array.name())).isEqualTo(1);
        }
    }

    @Test
    void openingANameThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> ShmLong.open("values-no-such-segment")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no shared segment named 'values-no-such-segment'");
    }

    @Test
    void anUninitializedPayloadIsRefused() {
        try (Segment raw = Segment.create(Segments.newName("test"), Kinds.LONG, SharedValueLayout.SIZE)) {
            assertThatThrownBy(() -> ShmLong.open(raw.name())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not hold an initialized shared value");
        }
    }

    @Test
    void anotherLayoutVersionIsRefused() {
        try (ShmLong v = ShmLong.create(1); Segment same = Segment.open(v.name(), Kinds.LONG)) {
            same.payload().set(JAVA_INT, SharedValueLayout.VERSION_OFFSET, 99);
            assertThatThrownBy(() -> ShmLong.open(v.name())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("layout version 99");
        }
    }

    @Test
    void anArrayWhoseLengthDoesNotFitItsSegmentIsRefused() {
        try (ShmLongArray a = ShmLongArray.create(10); Segment same = Segment.open(a.name(), Kinds.LONG_ARRAY)) {
            same.payload().set(JAVA_LONG, SharedArrayLayout.LENGTH_OFFSET, 1_000_000);
            assertThatThrownBy(() -> ShmLongArray.open(a.name())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void closingTheLastUserRemovesTheFile() throws Exception {
        ShmDoubleArray a = ShmDoubleArray.create(3);
        ShmLong v = ShmLong.create(3);
        for (String name : new String[] {a.name(), a.lock().name(), v.name(), v.lock().name()}) {
            assertThat(Files.exists(Segments.directory().resolve("mp4j." + name))).as(name).isTrue();
        }
        a.close();
        v.close();
        for (String name : new String[] {a.name(), a.lock().name(), v.name(), v.lock().name()}) {
            assertThat(Files.exists(Segments.directory().resolve("mp4j." + name))).as(name).isFalse();
        }
    }

    @Test
    void theLayoutsKeepTheirAlignment() {
        assertThat(SharedValueLayout.VALUE_OFFSET % 64).isZero();
        assertThat(SharedArrayLayout.ELEMENTS_OFFSET % 64).isZero();
        assertThat(SharedValueLayout.LOCK_REF_OFFSET + SharedValueLayout.LOCK_REF_CAPACITY)
                .isEqualTo(SharedValueLayout.SIZE);
    }
}
