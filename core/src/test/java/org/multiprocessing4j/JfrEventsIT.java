package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program recorded with {@code -XX:StartFlightRecording} shows its children in the recording
 * ({@code org.multiprocessing4j.ChildStart}, {@code ChildExit}) with its pool, queue, lock and manager
 * events, and each child records into a file of its own beside the parent's. Read back with
 * {@link RecordingFile}.
 */
class JfrEventsIT extends ProcessTestSupport {
    @TempDir
    Path dir;

    /**
     * The recorded program: a child that exits 3 and one killed by SIGKILL; a pool whose second task
     * kills its worker; a take that waits for a child's put, a lock that waits for the child to let it
     * go, and a manager call (a take on a manager's queue) that waits for a child's put.
     */
    public static final class Subject {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.local();
            ChildProcess three = ctx.process(() -> System.exit(3)).start();
            three.join();
            ChildProcess killed = ctx.process(() -> sleepQuietly(Duration.ofMinutes(1))).start();
            killed.kill();
            killed.join();
            long worker;
            long replacement;
            try (ProcessPool pool = ctx.pool(1)) {
                worker = pool.apply(() -> ProcessHandle.current().pid());
                try {
                    pool.apply(() -> {
                        Runtime.getRuntime().halt(7);
                        return 0;
                    });
                } catch (CompletionException expected) {
                    if (!(expected.getCause() instanceof WorkerLostException)) {
                        throw expected;
                    }
                }
                replacement = pool.apply(() -> ProcessHandle.current().pid()); // exits normally: its file is whole
            }
            Lock lock = ctx.lock();
            try (ProcessQueue<Integer> holding = ctx.queue()) {
                ChildProcess holder = ctx.process(() -> {
                    lock.lock();
                    try {
                        sleepQuietly(Duration.ofMillis(300)); // the parent's take waits meanwhile
                        holding.add(1);
                        sleepQuietly(Duration.ofMillis(300)); // and then its lock()
                    } finally {
                        lock.unlock();
                    }
                }).start();
                holding.take();
                lock.lock();
                lock.unlock();
                holder.join();
            }
            try (Manager manager = ctx.manager()) {
                BlockingQueue<Integer> handed = manager.queue();
                ChildProcess putter = ctx.process(() -> {
                    sleepQuietly(Duration.ofMillis(200)); // the parent's take() on the manager waits meanwhile
                    handed.add(1);
                }).start();
                handed.take();
                putter.join();
            }
            System.out.println("pids " + three.pid() + " " + killed.pid() + " " + worker + " " + replacement);
        }

        private static void sleepQuietly(Duration d) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void childrenStartAndExitAreInTheParentsRecordingAndEachChildRecordsBesideIt() throws Exception {
        Path recording = dir.resolve("program.jfr");
        JvmResult run = runJvm(Subject.class, List.of("-XX:StartFlightRecording:filename=" + recording + ",settings=default"),
                Duration.ofSeconds(90));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String[] pids = run.stdout().lines().filter(l -> l.startsWith("pids ")).findFirst().orElseThrow().split(" ");
        long three = Long.parseLong(pids[1]);
        long killed = Long.parseLong(pids[2]);

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> exits = named(events, "org.multiprocessing4j.ChildExit");
        assertThat(exits).anySatisfy(e -> {
            assertThat(e.getLong("pid")).isEqualTo(three);
            assertThat(e.getInt("exitCode")).isEqualTo(3);
            assertThat(e.getBoolean("started")).isTrue();
        });
        assertThat(exits).anySatisfy(e -> {
            assertThat(e.getLong("pid")).isEqualTo(killed);
            assertThat(e.getInt("exitCode")).isEqualTo(-9);
        });
        assertThat(named(events, "org.multiprocessing4j.ChildStart")).anySatisfy(e -> {
            assertThat(e.getLong("pid")).isEqualTo(three);
            assertThat(e.getBoolean("started")).isTrue();
            assertThat(e.getBoolean("spare")).isFalse();
            assertThat(e.getDuration().toNanos()).isPositive();
        });

        assertThat(named(events, "org.multiprocessing4j.PoolTask")).extracting(e -> e.getString("outcome"))
                .contains("completed", "failed");
        assertThat(named(events, "org.multiprocessing4j.WorkerLost")).anySatisfy(e -> {
            assertThat(e.getLong("pid")).isEqualTo(Long.parseLong(pids[3]));
            assertThat(e.getInt("exitCode")).isEqualTo(7);
        });
        assertThat(named(events, "org.multiprocessing4j.QueueWait")).anySatisfy(e -> {
            assertThat(e.getString("operation")).isEqualTo("take");
            assertThat(e.getDuration().toMillis()).isGreaterThanOrEqualTo(10);
        });
        assertThat(named(events, "org.multiprocessing4j.LockWait")).anySatisfy(e ->
                assertThat(e.getBoolean("acquired")).isTrue());
        assertThat(named(events, "org.multiprocessing4j.ManagerCall")).anySatisfy(e -> {
            assertThat(e.getString("method")).isEqualTo("take()");
            assertThat(e.getString("object")).isNotBlank().isNotEqualTo("0"); // the queue, not the manager
            assertThat(e.getString("manager")).isNotBlank();
            assertThat(e.getBoolean("succeeded")).isTrue();
            assertThat(e.getDuration().toMillis()).isGreaterThanOrEqualTo(1);
        });
        Path workerFile = dir.resolve("program-child-" + pids[4] + ".jfr");
        assertThat(named(RecordingFile.readAllEvents(workerFile), "org.multiprocessing4j.PoolTaskRun"))
                .as("the worker's own recording").isNotEmpty();

        Path childFile = dir.resolve("program-child-" + three + ".jfr");
        assertThat(childFile).as("the child's own recording").exists();
        assertThat(RecordingFile.readAllEvents(childFile)).as("events of the child's JVM").isNotEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).contains("program.jfr");
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
