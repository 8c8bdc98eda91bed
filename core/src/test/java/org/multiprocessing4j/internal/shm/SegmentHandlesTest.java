package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** One mapping and one attach slot per segment and process; handles counted; handoffs keep the segment. */
class SegmentHandlesTest {
    private static final long SELF = ProcessHandle.current().pid();

    private static Path file(String name) {
        return Segments.directory().resolve("mp4j." + name);
    }

    private static List<Long> slots(String name) {
        for (Segments.Info info : Segments.list()) {
            if (info.name().equals(name)) {
                List<Long> all = new ArrayList<>(info.attached());
                all.addAll(info.dead());
                return all;
            }
        }
        return List.of();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 20 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void handlesOfOneSegmentShareOneMappingAndOneSlot() {
        Segment created = Segment.create(Segments.newName("test"), Kinds.EVENT, 64);
        String name = created.name();
        List<Segment> opened = new ArrayList<>();
        for (int i = 0; i < 2 * SegmentLayout.SLOTS; i++) {
            opened.add(Segment.open(name, Kinds.EVENT));
        }
        opened.get(7).payload().set(JAVA_LONG, 0, 42L);
        assertThat(created.payload().get(JAVA_LONG, 0)).isEqualTo(42L);
        assertThat(slots(name)).containsExactly(SELF);
        assertThat(Segment.handlesOpen(name)).isEqualTo(1 + opened.size());
        opened.forEach(Segment::close);
        opened.get(0).close(); // idempotent
        assertThat(Segment.handlesOpen(name)).isEqualTo(1);
        assertThat(file(name)).exists();
        created.close();
        assertThat(Segment.handlesOpen(name)).isZero();
        assertThat(file(name)).doesNotExist();
    }

    @Test
    void aHandleDroppedWithoutCloseIsReleasedWhenCollected() throws InterruptedException {
        Segment created = Segment.create(Segments.newName("test"), Kinds.EVENT, 64);
        String name = created.name();
        for (int i = 0; i < 100; i++) {
            Segment.open(name, Kinds.EVENT); // dropped
        }
        await("the dropped handles released", () -> {
            System.gc();
            return Segment.handlesOpen(name) == 1;
        });
        assertThat(slots(name)).containsExactly(SELF);
        created.close();
        assertThat(file(name)).doesNotExist();
    }

    @Test
    void aSegmentHandedOffOutlivesItsLastCloseUntilTheHandleArrives() throws Exception {
        // A child that could receive the handle: while it lives, only the arrival lets the segment go.
        Process receiver = new ProcessBuilder("sleep", "120").start();
        try {
            Segment created = Segment.create(Segments.newName("test"), Kinds.EVENT, 64);
            String name = created.name();
            created.handOff();
            created.close();
            Thread.sleep(300); // several looks at the lingering mapping and at the children
            assertThat(file(name)).as("kept for the process the handle went to").exists();
            assertThat(slots(name)).containsExactly(SELF);
            // Opened again while it lingers: the same mapping, in use again.
            Segment again = Segment.open(name, Kinds.EVENT);
            assertThat(Segment.handlesOpen(name)).isEqualTo(1);
            again.close();
            Segment.arrived(name);
            await("the segment removed once the handle arrived", () -> !Files.exists(file(name)));
        } finally {
            receiver.destroyForcibly().waitFor();
        }
    }

    @Test
    void aHandedOffSegmentGoesWhenNoChildIsAliveToReceiveIt() throws InterruptedException {
        Segment created = Segment.create(Segments.newName("test"), Kinds.EVENT, 64);
        String name = created.name();
        created.handOff(); // never arrives; this JVM has no child to receive it
        created.close();
        await("the segment removed with nobody to receive its handle", () -> !Files.exists(file(name)));
    }

    @Test
    void aNameUnlinkedAndMadeAgainIsAnotherSegment() {
        String name = Segments.newName("test");
        Segment first = Segment.create(name, Kinds.RAW, 8);
        first.payload().set(JAVA_LONG, 0, 1L);
        first.unlink();
        Segment second = Segment.create(name, Kinds.RAW, 8);
        Segment opened = Segment.open(name, Kinds.RAW);
        assertThat(opened.payload().get(JAVA_LONG, 0)).isZero();
        opened.payload().set(JAVA_LONG, 0, 2L);
        assertThat(second.payload().get(JAVA_LONG, 0)).isEqualTo(2L);
        assertThat(first.payload().get(JAVA_LONG, 0)).isEqualTo(1L);
        first.close();
        assertThat(file(name)).as("the first close removes nothing that is not its file").exists();
        opened.close();
        second.close();
        assertThat(file(name)).doesNotExist();
    }
}
