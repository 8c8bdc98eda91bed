package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.internal.shm.SegmentLayout;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * How long a shared handle's segment lives, and how much of its attach table a process takes: one
 * slot per process however often a handle is deserialized there, and a segment kept for a child that
 * has not attached yet when the parent closes its handle right after {@code start()}.
 */
class HandleLifetimesIT extends ProcessTestSupport {
    /**
     * Tasks in {@link #tasksCapturingALockAQueueAndAnEventKeepTheAttachTablesBounded}: 5,000 by default
     * (10× the attach table; the bug showed after about 500), 100,000 with {@code -Dmp4j.soak.tasks=100000}.
     */
    private static final int TASKS = Integer.getInteger("mp4j.soak.tasks", 10 * SegmentLayout.SLOTS);

    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the soak variant; the default count takes seconds
    void tasksCapturingALockAQueueAndAnEventKeepTheAttachTablesBounded() throws Exception {
        ProcessLock lock = ctx.lock();
        ProcessQueue<Integer> queue = ctx.queue();
        ProcessEvent event = ctx.event();
        try (ProcessPool pool = ctx.pool(2)) {
            event.set();
            int window = 200; // tasks in flight at once: enough to keep both workers busy
            List<CompletableFuture<Boolean>> inFlight = new ArrayList<>();
            long done = 0;
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                inFlight.add(pool.applyAsync(() -> {
                    lock.lock();
                    try {
                        queue.put(n);
                    } finally {
                        lock.unlock();
                    }
                    return queue.take() >= 0 && event.isSet();
                }));
                if (inFlight.size() == window) {
                    done += drain(inFlight);
                    assertBounded(lock.name(), queue.toString(), event.name());
                }
            }
            done += drain(inFlight);
            assertThat(done).isEqualTo(TASKS);
            assertBounded(lock.name(), queue.toString(), event.name());
        } finally {
            lock.close();
            queue.close();
            event.close();
        }
    }

    private static long drain(List<CompletableFuture<Boolean>> futures) throws Exception {
        long n = 0;
        for (CompletableFuture<Boolean> f : futures) {
            assertThat(f.get(2, TimeUnit.MINUTES)).isTrue();
            n++;
        }
        futures.clear();
        return n;
    }

    /** The attach table of each segment, read from the segment: this process and two workers at most. */
    private static void assertBounded(String... names) {
        for (Segments.Info info : Segments.list()) {
            for (String name : names) {
                if (name.contains(info.name())) {
                    assertThat(info.attached().size() + info.dead().size())
                            .as("slots taken in the attach table of " + info.name() + ": " + info.attached())
                            .isLessThanOrEqualTo(3);
                }
            }
        }
    }

    /**
     * Python's idiom: the parent closes its handles right after {@code start()}. The child, which has
     * not attached yet, still finds every segment, and the segments go once both are done.
     */
    /**
     * Every kind of handle, closed in the parent right after {@code start()}: the child still attaches and
     * uses each. A condition and a {@code SharedMemory} among them: the target travels serialized whole.
     */
    @Test
    void handlesClosedInTheParentRightAfterStartAreStillThereForTheChild() throws Exception {
        closedRightAfterStart(true);
    }

    /**
     * The same without the condition and the {@code SharedMemory}: the target travels as its parts, each
     * handle as the fields of its serial form (form LAMBDA_SHARED), with the same hand-off.
     */
    @Test
    void handlesSentAsTheirFieldsAndClosedInTheParentRightAfterStartAreStillThereForTheChild() throws Exception {
        closedRightAfterStart(false);
    }

    private void closedRightAfterStart(boolean withSerializedOnes) throws Exception {
        Map<String, AutoCloseable> handles = new LinkedHashMap<>();
        ProcessLock lock = ctx.lock();
        ProcessLock rlock = ctx.rlock();
        ProcessSemaphore semaphore = ctx.semaphore(1);
        ProcessEvent event = ctx.event();
        ProcessBarrier barrier = ctx.barrier(1);
        ProcessQueue<String> queue = ctx.queue();
        JoinableQueue<String> joinable = ctx.joinableQueue();
        SharedLong sharedLong = ctx.sharedLong(1);
        SharedDouble sharedDouble = ctx.sharedDouble(1.5);
        SharedIntArray ints = ctx.sharedIntArray(4);
        SharedLongArray longs = ctx.sharedLongArray(4);
        SharedDoubleArray doubles = ctx.sharedDoubleArray(4);
        Pipe pipe = ctx.pipe(true);
        Connection end = pipe.second();
        handles.put("lock", lock);
        handles.put("rlock", rlock);
        handles.put("semaphore", semaphore);
        handles.put("event", event);
        handles.put("barrier", barrier);
        handles.put("queue", queue);
        handles.put("joinable queue", joinable);
        handles.put("shared long", sharedLong);
        handles.put("shared double", sharedDouble);
        handles.put("int array", ints);
        handles.put("long array", longs);
        handles.put("double array", doubles);
        handles.put("pipe end", end);
        String report = dir.resolve("report").toString();
        ChildProcess child;
        if (withSerializedOnes) {
            ProcessLock conditionLock = ctx.lock();
            java.util.concurrent.locks.Condition condition = conditionLock.newCondition(); // travels with its lock
            SharedMemory raw = ctx.sharedMemory("handles-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 8);
            handles.put("condition", conditionLock);
            handles.put("shared memory", raw);
            child = ctx.process(() -> {
                Map<String, String> results = useAll(lock, rlock, semaphore, event, barrier, queue, joinable, sharedLong,
                        sharedDouble, ints, longs, doubles, end);
                check(results, "condition", () -> {
                    conditionLock.lock();
                    try {
                        condition.signalAll();
                    } finally {
                        conditionLock.unlock();
                    }
                });
                check(results, "shared memory", () -> raw.segment().set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 1L));
                write(report, results.toString());
            }).start();
        } else {
            child = ctx.process(() -> write(report, useAll(lock, rlock, semaphore, event, barrier, queue, joinable,
                    sharedLong, sharedDouble, ints, longs, doubles, end).toString())).start();
        }
        for (AutoCloseable handle : handles.values()) {
            handle.close();
        }
        child.join();
        assertThat(child.exitCode()).as("the child's exit code").hasValue(0);
        Map<String, String> expected = new LinkedHashMap<>();
        handles.keySet().forEach(kind -> expected.put(kind, "ok"));
        assertThat(Files.readString(Path.of(report))).isEqualTo(expected.toString());
        try (Connection first = pipe.first()) {
            assertThat(first.recv()).as("what the child sent on its end").isEqualTo("sent");
        }
        // noSegmentOfOursIsLeftBehind (after the class) checks that they all went once both were done
    }

    /** Uses each handle once, in the child; what each use gave, by kind. */
    private static Map<String, String> useAll(ProcessLock lock, ProcessLock rlock, ProcessSemaphore semaphore,
            ProcessEvent event, ProcessBarrier barrier, ProcessQueue<String> queue, JoinableQueue<String> joinable,
            SharedLong sharedLong, SharedDouble sharedDouble, SharedIntArray ints, SharedLongArray longs,
            SharedDoubleArray doubles, Connection end) {
        Map<String, String> results = new LinkedHashMap<>();
        check(results, "lock", () -> {
            lock.lock();
            lock.unlock();
        });
        check(results, "rlock", () -> {
            rlock.lock();
            rlock.unlock();
        });
        check(results, "semaphore", () -> {
            semaphore.acquire();
            semaphore.release();
        });
        check(results, "event", event::set);
        check(results, "barrier", barrier::await);
        check(results, "queue", () -> {
            queue.put("x");
            queue.take();
        });
        check(results, "joinable queue", () -> {
            joinable.put("x");
            joinable.take();
            joinable.taskDone();
        });
        check(results, "shared long", sharedLong::incrementAndGet);
        check(results, "shared double", () -> sharedDouble.addAndGet(1));
        check(results, "int array", () -> ints.incrementAndGet(0));
        check(results, "long array", () -> longs.incrementAndGet(0));
        check(results, "double array", () -> doubles.addAndGet(0, 1));
        check(results, "pipe end", () -> end.send("sent"));
        return results;
    }

    private interface Use {
        void run() throws Exception;
    }

    private static void check(Map<String, String> results, String kind, Use use) {
        try {
            use.run();
            results.put(kind, "ok");
        } catch (Exception | Error e) {
            results.put(kind, e.toString());
        }
    }

    /** The segments of a child's handles go when the child has attached and both are done. */
    @Test
    void aSegmentHandedToAChildThatEndsWithoutAttachingGoesWhenTheChildHasEnded() throws Exception {
        ProcessLock lock = ctx.lock();
        String name = lock.name();
        // The child is killed before it runs its target, so it never attaches the lock.
        ChildProcess child = ctx.process(() -> {
            lock.lock();
            lock.unlock();
        }).start();
        child.kill();
        lock.close();
        child.join();
        awaitCondition("the lock's segment removed once the child it was handed to has ended", Duration.ofSeconds(30),
                () -> !Files.exists(Segments.directory().resolve("mp4j." + name)));
    }

    /** Makes a lock, a queue and an event, deserializes many handles of each, reports their names, waits. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.local();
            ProcessLock lock = ctx.lock();
            ProcessQueue<String> queue = ctx.queue();
            ProcessEvent event = ctx.event();
            List<Object> handles = new ArrayList<>();
            for (int i = 0; i < 2 * SegmentLayout.SLOTS; i++) {
                handles.add(roundTrip(lock));
                handles.add(roundTrip(queue));
                handles.add(roundTrip(event));
            }
            write(args[0], lock.name() + "\n" + ((org.multiprocessing4j.internal.queue.SharedQueue<?>) queue).name()
                    + "\n" + event.name() + "\n" + handles.size());
            Thread.sleep(Duration.ofMinutes(2));
        }

        private static Object roundTrip(Object o) throws Exception {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                return in.readObject();
            }
        }
    }

    /** A process with many handles of each segment, killed with SIGKILL: its resource tracker removes them all. */
    @Test
    void theSegmentsOfAKilledProcessWithManyHandlesAreRemoved() throws Exception {
        Path ready = dir.resolve("ready");
        Process holder = startJvm(Holder.class, ready.toString());
        try {
            awaitFile(ready, Duration.ofSeconds(60));
            List<String> names = Files.readAllLines(ready).subList(0, 3);
            for (Segments.Info info : Segments.list()) {
                if (names.contains(info.name())) {
                    assertThat(info.attached()).as("one slot for " + info.name() + " however many handles")
                            .containsExactly(holder.pid());
                }
            }
            holder.destroyForcibly().waitFor();
            awaitCondition("the segments of a process killed with SIGKILL removed", Duration.ofSeconds(10),
                    () -> names.stream().noneMatch(n -> Files.exists(Segments.directory().resolve("mp4j." + n))));
        } finally {
            holder.destroyForcibly();
        }
    }
}
