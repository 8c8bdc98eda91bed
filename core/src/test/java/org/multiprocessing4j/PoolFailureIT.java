package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the local pool fails: task exceptions cross back with their stack traces, dead workers fail
 * their task and are replaced, timeouts and cancellation kill workers, the builder's options act, and
 * no worker outlives its pool or the pool's JVM. Never a hang: every wait is bounded.
 */
class PoolFailureIT extends ProcessTestSupport {
    private static final int PROCESSES = 2;

    /** Shared by the tests that leave it running; workers killed in it are replaced. */
    private static ProcessPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSharedPool() {
        pool = Multiprocessing.local().poolBuilder().processes(PROCESSES).jvmOptions("-Xmx32m").build();
    }

    @AfterAll
    static void closeSharedPool() {
        if (pool != null) {
            pool.close();
        }
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static <T> Callable<T> callable(SerializableCallable<T> task) {
        return task;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.get(60, SECONDS);
    }

    /** What a task thrown in a worker arrives as: the cause of the ExecutionException. */
    static Throwable causeOf(Future<?> future) {
        Throwable thrown = catchThrowable(() -> await(future));
        assertThat(thrown).as("the task fails").isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    /** Submits {@code task} and returns why it failed, whether submission or the task itself failed. */
    static Throwable failureOf(ProcessPool pool, SerializableCallable<?> task) {
        Throwable thrown = catchThrowable(() -> await(pool.submit(task)));
        assertThat(thrown).as("the task fails, or is refused").isInstanceOfAny(ExecutionException.class,
                RejectedExecutionException.class);
        return thrown;
    }

    static List<Throwable> chain(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    static boolean hasFrame(Throwable t, String className, String methodPrefix) {
        return Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(className) && f.getMethodName().startsWith(methodPrefix));
    }

    // ---------------------------------------------------------------- exceptions and results

    static final class TaskFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailure(String message) {
            super(message);
        }
    }

    /** Not serializable: it holds a plain {@code Object}. */
    static final class UnsendableFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object lock = new Object();

        UnsendableFailure(String message) {
            super(message);
        }
    }

    static Integer throwTaskFailure() {
        throw new TaskFailure("failed in pid " + pid());
    }

    @Test
    void aTasksExceptionArrivesAsTheCauseWithItsClassMessageAndTheWorkersStackTrace() throws Exception {
        Throwable cause = causeOf(pool.submit(callable(() -> throwTaskFailure())));
        assertThat(cause).isInstanceOf(TaskFailure.class).hasMessageStartingWith("failed in pid ")
                .hasMessageNotContaining("pid " + pid());
        assertThat(hasFrame(cause, PoolFailureIT.class.getName(), "throwTaskFailure")).as("the throwing frame").isTrue();
        assertThat(hasFrame(cause, PoolFailureIT.class.getName(), "lambda$")).as("the test's lambda").isTrue();
        assertThat(Arrays.stream(cause.getStackTrace()).anyMatch(f -> f.getClassName().contains("WorkerMain")))
                .as("the worker's frames").isTrue();
        assertThat(await(pool.submit(callable(() -> 1)))).as("the pool still works").isEqualTo(1);
    }

    @Test
    void aCheckedExceptionArrivesAsItself() {
        Throwable cause = causeOf(pool.submit(callable(() -> {
            throw new IOException("checked, in a worker");
        })));
        assertThat(cause).isExactlyInstanceOf(IOException.class).hasMessage("checked, in a worker");
    }

    @Test
    void anErrorArrivesAsItself() {
        Throwable cause = causeOf(pool.submit(callable(() -> {
            throw new StackOverflowError("not really");
        })));
        assertThat(cause).isExactlyInstanceOf(StackOverflowError.class).hasMessage("not really");
    }

    @Test
    void anExceptionThatCannotBeSerializedArrivesAsRemoteException() throws Exception {
        Throwable cause = causeOf(pool.submit(callable(() -> {
            throw new UnsendableFailure("cannot travel");
        })));
        assertThat(cause).isInstanceOf(RemoteException.class).hasMessageContaining(UnsendableFailure.class.getName())
                .hasMessageContaining("cannot travel");
        assertThat(((RemoteException) cause).remoteClassName()).isEqualTo(UnsendableFailure.class.getName());
        assertThat(hasFrame(cause, PoolFailureIT.class.getName(), "lambda$")).as("the test's lambda").isTrue();
        assertThat(await(pool.submit(callable(() -> 1)))).as("the pool still works").isEqualTo(1);
    }

    @Test
    void aCauseThatCannotBeSerializedArrivesAsRemoteException() {
        Throwable cause = causeOf(pool.submit(callable(() -> {
            throw new IllegalStateException("outer", new UnsendableFailure("inner"));
        })));
        assertThat(chain(cause)).as("the whole chain arrives, somehow").hasSizeGreaterThanOrEqualTo(2);
        assertThat(cause).hasMessageContaining("outer");
        assertThat(cause).hasStackTraceContaining("inner");
    }

    @Test
    void aResultThatCannotBeSerializedFailsThatTaskAndThePoolKeepsWorking() throws Exception {
        Throwable cause = causeOf(pool.submit(callable(Object::new)));
        assertThat(cause).isInstanceOf(NotSerializableException.class).hasMessageContaining(Object.class.getName());
        Throwable fromApply = catchThrowable(() -> pool.apply(() -> Thread.currentThread()));
        assertThat(fromApply).isInstanceOf(CompletionException.class).cause()
                .hasMessageContaining(Thread.class.getName());
        Throwable fromMap = catchThrowable(() -> pool.map(x -> x == 3 ? new Object() : x, List.of(1, 2, 3, 4), 1));
        assertThat(fromMap).isInstanceOf(CompletionException.class).cause().hasMessageContaining(Object.class.getName());
        assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).as("the pool still works").containsExactly(2, 3, 4);
    }

    // ---------------------------------------------------------------- dead workers

    enum Death {
        SIGKILL(-9), HALT(13), EXIT(7), OUT_OF_MEMORY(3);

        final int exitCode;

        Death(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    /** Says where it runs, then dies as told (or, for SIGKILL, waits for the test to kill it). */
    static Integer die(Death death, String pidFile) {
        write(pidFile, Long.toString(pid()));
        switch (death) {
            case SIGKILL -> sleep(Duration.ofSeconds(300));
            case HALT -> Runtime.getRuntime().halt(13);
            case EXIT -> System.exit(7);
            case OUT_OF_MEMORY -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 16]);
                }
            }
        }
        throw new AssertionError(death + " did not end the worker");
    }

    @ParameterizedTest
    @EnumSource(Death.class)
    void aWorkerThatDiesFailsItsTaskWithWorkerLostExceptionAndIsReplaced(Death death) throws Exception {
        String pidFile = file(death + ".pid");
        Future<Integer> victim = pool.submit(callable(() -> die(death, pidFile)));
        List<Future<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            others.add(pool.submit(callable(() -> n * n)));
        }
        awaitCondition("the dying task starts", Duration.ofSeconds(60), () -> Files.exists(Path.of(pidFile))
                && !read(Path.of(pidFile)).isEmpty());
        long worker = Long.parseLong(read(Path.of(pidFile)));
        if (death == Death.SIGKILL) {
            ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
        }

        Throwable cause = causeOf(victim);

        assertThat(cause).isInstanceOf(WorkerLostException.class).hasMessageContaining("pid " + worker);
        WorkerLostException lost = (WorkerLostException) cause;
        assertThat(lost.pid()).isEqualTo(worker);
        assertThat(lost.exitCode()).as(lost.getMessage()).isEqualTo(death.exitCode);
        if (death == Death.OUT_OF_MEMORY) {
            assertThat(lost.stderrTail()).as("the end of the worker's stderr").contains("OutOfMemoryError");
        }
        for (int i = 0; i < others.size(); i++) {
            assertThat(await(others.get(i))).as("another task").isEqualTo(i * i);
        }
        assertThat(pool.workerPids()).doesNotContain(worker);
        awaitCondition("the lost worker is replaced", Duration.ofSeconds(60), () -> pool.workerPids().size() == PROCESSES);
        assertThat(await(pool.submit(callable(PoolFailureIT::pid)))).isNotEqualTo(worker);
    }

    @Test
    void aWorkerDyingInAMapFailsTheMapWithWorkerLostException() throws Exception {
        String pidFile = file("map.pid");
        Throwable thrown = catchThrowable(() -> pool.map(x -> x == 5 ? die(Death.EXIT, pidFile) : x,
                IntStream.range(0, 10).boxed().toList(), 1));
        assertThat(thrown).isInstanceOf(CompletionException.class).cause().isInstanceOf(WorkerLostException.class);
        awaitCondition("the lost worker is replaced", Duration.ofSeconds(60), () -> pool.workerPids().size() == PROCESSES);
        assertThat(pool.map(x -> x + 1, List.of(1, 2, 3), 1)).as("the pool still works").containsExactly(2, 3, 4);
    }

    /** After shutdown, a dead last worker is still replaced so that the queued tasks run. */
    @Test
    void aWorkerDyingAfterShutdownIsReplacedToRunTheQueuedTasks() throws Exception {
        ProcessPool own = Multiprocessing.local().pool(1);
        try {
            String pidFile = file("afterShutdown.pid");
            Future<Integer> victim = own.submit(callable(() -> die(Death.EXIT, pidFile)));
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                queued.add(own.submit(callable(() -> n)));
            }
            own.shutdown();
            assertThat(causeOf(victim)).isInstanceOf(WorkerLostException.class);
            for (int i = 0; i < 4; i++) {
                assertThat(await(queued.get(i))).isEqualTo(i);
            }
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    /**
     * After shutdown, a pool whose remaining tasks are all cancelled terminates. Here the cancelled
     * task is one a worker held behind its running task: when that worker is killed it goes back to
     * the queue, and the replacement skips it.
     */
    @Test
    void aShutDownPoolWhoseLastTasksAreCancelledTerminates() throws Exception {
        ProcessPool own = Multiprocessing.local().pool(1);
        try {
            String pidFile = file("shutdownCancelled.pid");
            Future<Integer> running = own.submit(callable(() -> block(pidFile)));
            awaitPid(pidFile);
            Future<Integer> held = own.submit(callable(() -> 2));
            own.shutdown();
            held.cancel(false);
            running.cancel(true);
            assertThat(own.awaitTermination(60, SECONDS)).as("terminated: %s", own).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void maxTasksPerChildAfterShutdownStillRunsEveryQueuedTask() throws Exception {
        ProcessPool own = Multiprocessing.local().poolBuilder().processes(1).maxTasksPerChild(1).build();
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(own.submit(callable(PoolFailureIT::pid)));
            }
            own.shutdown();
            Set<Long> pids = new HashSet<>();
            for (Future<Long> f : futures) {
                pids.add(await(f));
            }
            assertThat(pids).hasSize(4);
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- timeouts and cancellation

    @Test
    void cancellingAMapAsyncKillsTheWorkersRunningItsChunksAndThePoolContinues() throws Exception {
        try (ProcessPool own = Multiprocessing.local().pool(2)) {
            String pidFile = file("mapAsync.pid");
            var future = own.mapAsync(x -> block(pidFile + x), List.of(0, 1), 1);
            long worker = awaitPid(pidFile + "0");
            assertThat(future.cancel(true)).isTrue();
            ProcessHandle.of(worker).ifPresent(h -> h.onExit().orTimeout(30, SECONDS).join());
            assertThat(isAlive(worker)).as("the worker running a chunk of the cancelled map").isFalse();
            assertThat(own.map(x -> x * 2, List.of(1, 2, 3), 1)).containsExactly(2, 4, 6);
        }
    }

    static Integer block(String pidFile) {
        write(pidFile, Long.toString(pid()));
        sleep(Duration.ofSeconds(300));
        throw new AssertionError("a blocked task was not stopped");
    }

    static long awaitPid(String pidFile) {
        awaitCondition("the task starts", Duration.ofSeconds(60), () -> Files.exists(Path.of(pidFile))
                && !read(Path.of(pidFile)).isEmpty());
        return Long.parseLong(read(Path.of(pidFile)));
    }

    @Test
    void aTaskOverrunningTheTaskTimeoutFailsWithTaskTimeoutExceptionAndThePoolContinues() throws Exception {
        try (ProcessPool own = Multiprocessing.local().poolBuilder().processes(1).taskTimeout(Duration.ofSeconds(2)).build()) {
            String pidFile = file("timeout.pid");
            Future<Integer> slow = own.submit(callable(() -> block(pidFile)));
            Future<Integer> after = own.submit(callable(() -> 7));
            Throwable cause = causeOf(slow);
            assertThat(cause).isInstanceOf(TaskTimeoutException.class);
            long worker = Long.parseLong(read(Path.of(pidFile)));
            assertThat(ProcessHandle.of(worker).map(h -> h.onExit().orTimeout(30, SECONDS).join().isAlive()))
                    .as("the overrunning worker is killed").isNotEqualTo(java.util.Optional.of(true));
            assertThat(await(after)).as("the task queued behind it").isEqualTo(7);
            assertThat(await(own.submit(callable(PoolFailureIT::pid)))).isNotEqualTo(worker);
            assertThat(own.map(x -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
        }
    }

    @Test
    void cancelWithInterruptOfARunningTaskKillsItsWorkerWhichIsReplaced() throws Exception {
        String pidFile = file("cancel.pid");
        Future<Integer> running = pool.submit(callable(() -> block(pidFile)));
        long worker = awaitPid(pidFile);
        assertThat(running.cancel(true)).isTrue();
        assertThat(running.isCancelled()).isTrue();
        assertThat(catchThrowable(() -> running.get(0, SECONDS))).isInstanceOf(CancellationException.class);
        ProcessHandle.of(worker).ifPresent(h -> h.onExit().orTimeout(30, SECONDS).join());
        assertThat(isAlive(worker)).as("the worker running the cancelled task is killed").isFalse();
        awaitCondition("the killed worker is replaced", Duration.ofSeconds(60), () -> pool.workerPids().size() == PROCESSES
                && !pool.workerPids().contains(worker));
        assertThat(pool.map(x -> x * 3, IntStream.range(0, 10).boxed().toList(), 1))
                .isEqualTo(IntStream.range(0, 10).map(x -> x * 3).boxed().toList());
    }

    @Test
    void cancelWithoutInterruptOfARunningTaskLetsItsWorkerLive() throws Exception {
        String pidFile = file("cancelNoInterrupt.pid");
        ProcessEvent finish = Multiprocessing.local().event();
        Future<Integer> running = pool.submit(callable(() -> {
            write(pidFile, Long.toString(pid()));
            finish.await(); // still running when it is cancelled, however slow the machine
            return 1;
        }));
        long worker = awaitPid(pidFile);
        assertThat(running.cancel(false)).isTrue();
        assertThat(running.isCancelled()).isTrue();
        finish.set();
        finish.close();
        List<Future<Long>> after = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            after.add(pool.submit(callable(PoolFailureIT::pid)));
        }
        for (Future<Long> f : after) {
            await(f);
        }
        assertThat(isAlive(worker)).isTrue();
        assertThat(pool.workerPids()).contains(worker);
    }

    // ---------------------------------------------------------------- the builder's options

    @Test
    void maxTasksPerChildReplacesAWorkerAfterThatManyTasks() {
        try (ProcessPool own = Multiprocessing.local().poolBuilder().processes(1).maxTasksPerChild(2).build()) {
            List<Long> pids = own.map(x -> pid(), IntStream.range(0, 6).boxed().toList(), 1);
            Map<Long, Integer> tasksPerPid = new HashMap<>();
            pids.forEach(p -> tasksPerPid.merge(p, 1, Integer::sum));
            assertThat(tasksPerPid).as("tasks per worker pid").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy((p, n) -> assertThat(n).isLessThanOrEqualTo(2)).doesNotContainKey(pid());
        }
    }

    @Test
    void theInitializerRunsOnceInEveryWorkerBeforeItsTasks() {
        try (ProcessPool own = Multiprocessing.local().poolBuilder().processes(2).maxTasksPerChild(3)
                .initializer(() -> {
                    System.setProperty("pool.init.count", Integer.toString(Integer.getInteger("pool.init.count", 0) + 1));
                    System.setProperty("pool.init.pid", Long.toString(pid()));
                }).build()) {
            List<String> seen = own.map(x -> System.getProperty("pool.init.count") + " in "
                    + System.getProperty("pool.init.pid") + " = " + pid(), IntStream.range(0, 20).boxed().toList(), 1);
            Set<String> pids = new HashSet<>();
            for (String s : seen) {
                String[] parts = s.split(" ");
                assertThat(parts[0]).as("the initializer ran once: %s", s).isEqualTo("1");
                assertThat(parts[2]).as("in this worker: %s", s).isEqualTo(parts[4]);
                pids.add(parts[4]);
            }
            assertThat(pids).as("replaced workers run it too").hasSizeGreaterThan(2);
        }
    }

    @Test
    void anInitializerThatThrowsFailsTheTasksAndDoesNotHang() throws Exception {
        ProcessPool own = Multiprocessing.local().poolBuilder().processes(1)
                .initializer(() -> {
                    throw new IllegalStateException("the initializer fails");
                }).build();
        try {
            Throwable failure = failureOf(own, () -> 1);
            assertThat(failure).hasStackTraceContaining("the initializer fails");
            Throwable later = failureOf(own, () -> 2);
            assertThat(later).hasStackTraceContaining("the initializer fails");
            own.shutdown();
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void maxMemoryPerChildOfOneByteReplacesTheWorkerAfterEachTask() {
        try (ProcessPool own = Multiprocessing.local().poolBuilder().processes(1).maxMemoryPerChild(1).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pids.add(own.apply(PoolFailureIT::pid));
            }
            assertThat(new HashSet<>(pids)).as("pids " + pids).hasSize(3).doesNotContain(pid());
        }
    }

    @Test
    void aBadWorkerJvmOptionFailsTheTasksWithChildStartException() throws Exception {
        ProcessPool own = Multiprocessing.local().poolBuilder().processes(1).jvmOptions("-Xmx1z").build();
        try {
            Throwable failure = failureOf(own, () -> 1);
            assertThat(chain(failure)).as("the failure's chain: %s", failure)
                    .anyMatch(t -> t instanceof ChildStartException);
            ChildStartException start = (ChildStartException) chain(failure).stream()
                    .filter(t -> t instanceof ChildStartException).findFirst().orElseThrow();
            assertThat(start.stderrTail()).as("the worker JVM's complaint").contains("1z");
            assertThat(failureOf(own, () -> 2)).isNotNull();
            own.shutdown();
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- no worker left behind

    private static List<Long> startedWorkers(ProcessPool pool) {
        awaitCondition("every worker connects", Duration.ofSeconds(60), () -> pool.workerPids().size() == pool.processes());
        return pool.workerPids();
    }

    @Test
    void afterCloseNoWorkerProcessIsLeft() throws Exception {
        ProcessPool own = Multiprocessing.local().pool(2);
        own.map(x -> x, List.of(1, 2, 3, 4), 1);
        List<Long> workers = startedWorkers(own);
        own.close();
        Set<Long> descendants = new HashSet<>();
        ProcessHandle.current().descendants().forEach(p -> descendants.add(p.pid()));
        assertThat(workers).as("the workers once close() has returned").allMatch(p -> !isAlive(p))
                .doesNotContainAnyElementsOf(descendants);
    }

    @Test
    void afterShutdownNowAndAwaitTerminationNoWorkerProcessIsLeft() throws Exception {
        ProcessPool own = Multiprocessing.local().pool(2);
        List<Long> workers = startedWorkers(own);
        String pidFile = file("shutdownNow.pid");
        own.submit(callable(() -> block(pidFile)));
        awaitPid(pidFile);
        own.shutdownNow();
        assertThat(own.awaitTermination(60, SECONDS)).isTrue();
        assertThat(workers).as("the workers once the pool has terminated").allMatch(p -> !isAlive(p));
    }

    /** A JVM with a pool: reports its workers' pids, then waits to be killed. */
    public static final class PoolParent {
        public static void main(String[] args) throws Exception {
            ProcessPool pool = Multiprocessing.local().pool(2);
            List<Long> workers = startedWorkers(pool);
            Files.writeString(Path.of(args[0] + ".tmp"), workers.get(0) + " " + workers.get(1));
            Files.move(Path.of(args[0] + ".tmp"), Path.of(args[0]));
            Thread.sleep(Duration.ofSeconds(300));
        }
    }

    /** SIGKILL: the kernel closes the workers' control pipes; SIGTERM and SIGINT (Ctrl-C): shutdown hooks. */
    @ParameterizedTest
    @ValueSource(strings = {"KILL", "TERM", "INT"})
    void theWorkersDieWithTheirPoolsJvmKilledBySignal(String signal) throws Exception {
        Path pids = dir.resolve("parent-" + signal + ".pids");
        Process parent = startJvm(PoolParent.class, pids.toString());
        try {
            awaitCondition("the pool's JVM reports its workers", Duration.ofSeconds(60), () -> {
                assertThat(parent.isAlive()).as("the pool's JVM is running").isTrue();
                return Files.exists(pids);
            });
            List<ProcessHandle> workers = new ArrayList<>();
            for (String p : read(pids).trim().split(" ")) {
                workers.add(ProcessHandle.of(Long.parseLong(p)).orElseThrow());
            }
            assertThat(workers).hasSize(2).allMatch(ProcessHandle::isAlive);
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(parent.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(parent.waitFor(60, SECONDS)).as("the pool's JVM ends on SIG" + signal).isTrue();
            for (ProcessHandle worker : workers) {
                worker.onExit().get(30, SECONDS);
                assertThat(worker.isAlive()).isFalse();
            }
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }
}
