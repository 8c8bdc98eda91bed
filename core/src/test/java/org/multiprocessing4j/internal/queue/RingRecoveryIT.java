package org.multiprocessing4j.internal.queue;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ProcessTestSupport;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * A process killed ({@code kill -9}) at the points of a put or a take where it holds something the
 * queue counts does not leave the queue full for ever; a writer taken for dead (its pid reused) does not
 * commit over slots handed on. Each child is a plain JVM ({@link RingChild}) that a test hook parks at
 * the point, so that the kill lands there.
 */
class RingRecoveryIT extends ProcessTestSupport {
    @TempDir
    Path dir;

    @Test
    void aProducerKilledBetweenItsPermitAndItsClaimDoesNotLeakThePermit() throws Exception {
        try (Ring ring = Ring.create(Segments.newName("ringit"), false, 1, 16)) {
            Path parked = dir.resolve("parked");
            Process producer = child("permit:" + parked, "put", ring.name(), "lost");
            awaitFile(parked, producer);
            kill(producer);

            assertThat(inTime(() -> ring.put(ring.prepare("after"), -1))).isTrue(); // queue(1): blocked for ever before
            assertThat(ring.count()).isEqualTo(1);
            assertThat(ring.take(-1)).isEqualTo("after");
            assertThat(ring.count()).isZero();
        }
    }

    @Test
    void aConsumerKilledBetweenItsTakeAndItsCountDoesNotLeaveTheQueueFull() throws Exception {
        try (Ring ring = Ring.create(Segments.newName("ringit"), false, 1, 16)) {
            ring.put(ring.prepare("taken"), -1);
            Path parked = dir.resolve("parked");
            Process consumer = child("take:" + parked, "take", ring.name());
            awaitFile(parked, consumer);
            kill(consumer);

            assertThat(inTime(() -> ring.put(ring.prepare("after"), -1))).isTrue();
            assertThat(ring.take(-1)).isEqualTo("after");
            assertThat(ring.count()).isZero();
        }
    }

    @Test
    void aClaimTakenOverAsADeadWritersIsNotCommittedOverTheSlotsHandedOn() throws Exception {
        try (Ring ring = Ring.create(Segments.newName("ringit"), false, 100, 16);
                Segment view = Segment.open(ring.name(), Kinds.QUEUE)) {
            Path parked = dir.resolve("parked");
            Process producer = child("claim:" + parked, "put", ring.name(), "late");
            awaitFile(parked, producer);
            // As if its pid had been reused: the slot's OWNER names a process of another start time.
            MemorySegment m = view.payload();
            long owner = m.get(JAVA_LONG, QueueLayout.SEQ_OFFSET + QueueLayout.OWNER);
            assertThat(ProcessIds.pid(owner)).isEqualTo(producer.pid());
            m.set(JAVA_LONG, QueueLayout.SEQ_OFFSET + QueueLayout.OWNER, owner + (1L << 32));
            assertThat(ring.poll(true)).isNull(); // drops the record of the "dead" writer
            ring.put(ring.prepare("first"), -1);
            Files.createFile(Path.of(parked + ".go")); // the writer wakes, writes, and tries to commit

            assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(producer.exitValue()).as(output(producer)).isZero();
            assertThat(ring.take(-1)).isEqualTo("first");
            assertThat(ring.take(TimeUnit.SECONDS.toNanos(30))).isEqualTo("late"); // put again, not lost
            assertThat(ring.count()).isZero();
        }
    }

    private Process child(String park, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dmp4j.test.queuePark=" + park,
                "-cp", System.getProperty("java.class.path"), RingChild.class.getName()));
        command.addAll(List.of(args));
        log = dir.resolve("child-" + System.nanoTime() + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private Path log;

    private String output(Process process) throws IOException {
        return "child " + process.pid() + ":\n" + Files.readString(log);
    }

    /** Waits for the hook's file (the child is parked at its point), failing if the child ends first. */
    private static void awaitFile(Path file, Process child) throws InterruptedException {
        while (!Files.exists(file)) {
            if (child.waitFor(10, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the child ended (exit " + child.exitValue() + ") before its hook");
            }
        }
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private interface Action {
        boolean run() throws Exception;
    }

    private static boolean inTime(Action action) throws Exception {
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
            try {
                return action.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("blocked: the dead process's share was never given back", e);
        }
    }
}
