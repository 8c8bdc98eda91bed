package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * Named shared memory across real processes: really shared, re-attached when captured, bad input
 * refused in the caller, and removed when its last user is gone, even after {@code kill -9}.
 */
class SharedMemoryIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    private static String unique(String base) {
        return base + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    private static Path file(String name) {
        return Segments.directory().resolve("mp4j." + name);
    }

    @Test
    void aChildWritesWhatTheParentReads() {
        String name = unique("shared");
        try (SharedMemory shm = ctx.sharedMemory(name, 1024)) {
            assertThat(shm.size()).isEqualTo(1024);
            ChildProcess p = ctx.process(() -> {
                try (SharedMemory same = SharedMemory.open(name)) {
                    same.segment().set(ValueLayout.JAVA_LONG, 8, ProcessHandle.current().pid());
                }
            }).start();
            p.join();
            assertThat(p.exitCode()).hasValue(0);
            assertThat(shm.segment().get(ValueLayout.JAVA_LONG, 8)).isEqualTo(p.pid());
        }
        assertThat(file(name)).as("removed with its last user").doesNotExist();
    }

    @Test
    void onlyItsOwnerCanReadOrWriteASegment() throws IOException {
        String name = unique("mode");
        try (SharedMemory shm = ctx.sharedMemory(name, 8)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file(name)))).isEqualTo("rw-------");
        }
    }

    @Test
    void capturedInATargetItAttachesToTheSameMemory() {
        try (SharedMemory shm = ctx.sharedMemory(unique("captured"), 64)) {
            ChildProcess p = ctx.process(() -> shm.segment().set(ValueLayout.JAVA_INT, 0, 42)).start();
            p.join();
            assertThat(p.exitCode()).hasValue(0);
            assertThat(shm.segment().get(ValueLayout.JAVA_INT, 0)).as("not a copy").isEqualTo(42);
        }
    }

    @Test
    void aFutexWaitInOneProcessIsWokenFromAnother() {
        try (SharedMemory shm = ctx.sharedMemory(unique("futex"), 64)) {
            MemorySegment word = shm.segment();
            ChildProcess waiter = ctx.process(() -> {
                MemorySegment w = shm.segment();
                w.set(ValueLayout.JAVA_INT, 4, 1); // ready
                while (w.get(ValueLayout.JAVA_INT, 0) == 0) {
                    Futex.await(w, 0, -1);
                }
                w.set(ValueLayout.JAVA_INT, 8, 2); // woke
            }).start();
            awaitCondition("the waiter is ready", Duration.ofSeconds(60), () -> word.get(ValueLayout.JAVA_INT, 4) == 1);
            word.set(ValueLayout.JAVA_INT, 0, 1);
            Futex.wake(word, Integer.MAX_VALUE);
            waiter.join();
            assertThat(waiter.exitCode()).hasValue(0);
            assertThat(word.get(ValueLayout.JAVA_INT, 8)).isEqualTo(2);
        }
    }

    @Test
    void badInputIsRefusedInTheCaller() throws IOException {
        String name = unique("dup");
        try (SharedMemory shm = ctx.sharedMemory(name, 8)) {
            assertThatThrownBy(() -> ctx.sharedMemory(name, 8)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exists already");
        }
        assertThatThrownBy(() -> ctx.sharedMemory(unique("neg"), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> ctx.sharedMemory("no/slashes", 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ctx.sharedMemory(null, 8)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SharedMemory.open(unique("missing"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no shared segment");
        String foreign = unique("foreign");
        Path path = file(foreign);
        Files.write(path, new byte[8192]); // not ours: no magic
        try {
            assertThatThrownBy(() -> SharedMemory.open(foreign)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a multiprocessing4j segment");
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void unlinkRemovesTheNameWhileTheMemoryStaysMapped() {
        String name = unique("unlinked");
        try (SharedMemory shm = ctx.sharedMemory(name, 16)) {
            shm.unlink();
            assertThat(file(name)).doesNotExist();
            shm.segment().set(ValueLayout.JAVA_INT, 0, 7);
            assertThat(shm.segment().get(ValueLayout.JAVA_INT, 0)).isEqualTo(7);
            assertThatThrownBy(() -> SharedMemory.open(name)).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * Creates ({@code create}) or opens ({@code open}) a segment, and creates a second one named by a
     * fourth argument if there is one, reports ready, and waits to be killed.
     */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            SharedMemory shm = args[1].equals("open") ? SharedMemory.open(args[0]) : SharedMemory.create(args[0], 64);
            if (args.length > 3) {
                SharedMemory.create(args[3], 64);
            }
            Files.writeString(Path.of(args[2]), shm.name());
            Thread.sleep(Duration.ofMinutes(2));
        }
    }

    /**
     * Creates and removes segments for a while (its tracker has nothing to watch again and again), then
     * keeps one; writes the pids of every resource tracker it had to {@code args[1]}.
     */
    public static final class Churner {
        public static void main(String[] args) throws Exception {
            Set<Long> trackers = new TreeSet<>();
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos(); // several of the tracker's periods
            for (int i = 0; System.nanoTime() < end; i++) {
                SharedMemory shm = SharedMemory.create(args[0] + "-" + i, 64);
                shm.close();
                shm.unlink();
                trackers.addAll(trackers());
                Thread.sleep(5);
            }
            SharedMemory.create(args[0], 64);
            trackers.addAll(trackers());
            Path ready = Path.of(args[1]);
            Path partial = Path.of(args[1] + ".partial"); // the reader sees the file whole, never empty
            Files.writeString(partial, trackers.toString());
            Files.move(partial, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(Duration.ofMinutes(2));
        }

        private static List<Long> trackers() {
            return ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("ResourceTracker")).orElse(false))
                    .map(ProcessHandle::pid).toList();
        }
    }

    /**
     * The tracker never exits while its creator lives, even with nothing to watch: a segment registered
     * just as it exited would be lost, and left behind when the creator is then killed.
     */
    @Test
    void theTrackerOutlivesMomentsWithNothingToWatchAndEndsAfterItsCreator() throws Exception {
        String name = unique("churn");
        Path ready = Files.createTempFile("mp4j-ready", "");
        Files.delete(ready);
        Process churner = startJvm(Churner.class, name, ready.toString());
        try {
            awaitFile(ready, Duration.ofSeconds(60));
            String seen = Files.readString(ready);
            assertThat(seen).as("every tracker the creator had").matches("\\[\\d+\\]");
            long tracker = Long.parseLong(seen.substring(1, seen.length() - 1));
            assertThat(file(name)).exists();
            churner.destroyForcibly().waitFor();
            awaitCondition("the segment of a creator killed with SIGKILL is removed", Duration.ofSeconds(10),
                    () -> !Files.exists(file(name)));
            awaitCondition("the tracker ends once its creator is gone and it has nothing to watch",
                    Duration.ofSeconds(10), () -> ProcessHandle.of(tracker).map(p -> !p.isAlive()).orElse(true));
        } finally {
            churner.destroyForcibly();
            Files.deleteIfExists(ready);
        }
    }

    @Test
    void aSegmentWhoseOnlyUserWasKilledIsRemoved() throws Exception {
        String name = unique("killed");
        Path ready = Files.createTempFile("mp4j-ready", "");
        Files.delete(ready);
        Process holder = startJvm(Holder.class, name, "create", ready.toString());
        try {
            awaitFile(ready, Duration.ofSeconds(60));
            assertThat(file(name)).exists();
            holder.destroyForcibly().waitFor();
            awaitCondition("the segment of a process killed with SIGKILL is removed", Duration.ofSeconds(10),
                    () -> !Files.exists(file(name)));
        } finally {
            holder.destroyForcibly();
            Files.deleteIfExists(ready);
        }
    }

    @Test
    void aSegmentAnotherProcessStillUsesSurvivesItsCreatorsDeath() throws Exception {
        String name = unique("survivor");
        Path created = Files.createTempFile("mp4j-created", "");
        Path opened = Files.createTempFile("mp4j-opened", "");
        Files.delete(created);
        Files.delete(opened);
        String canary = unique("canary"); // the creator's alone: its removal shows the tracker has looked
        Process creator = startJvm(Holder.class, name, "create", created.toString(), canary);
        Process user = null;
        try {
            awaitFile(created, Duration.ofSeconds(60));
            user = startJvm(Holder.class, name, "open", opened.toString());
            awaitFile(opened, Duration.ofSeconds(60));
            creator.destroyForcibly().waitFor();
            awaitCondition("the tracker removes the dead creator's own segment", Duration.ofSeconds(30),
                    () -> !Files.exists(file(canary)));
            assertThat(file(name)).as("still used by a live process, after the tracker's look").exists();
            user.destroyForcibly().waitFor();
            awaitCondition("removed once its last user died too", Duration.ofSeconds(10), () -> !Files.exists(file(name)));
        } finally {
            creator.destroyForcibly();
            if (user != null) {
                user.destroyForcibly();
            }
            Files.deleteIfExists(created);
            Files.deleteIfExists(opened);
        }
    }
}
