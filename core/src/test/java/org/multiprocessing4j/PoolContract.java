package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ProcessPool} promises, whatever its backend: the {@link java.util.concurrent.ExecutorService}
 * contract to the letter of its Javadoc (after the JSR-166 TCK's {@code AbstractExecutorServiceTest} and
 * {@code ThreadPoolExecutorTest}), and Python's {@code Pool} methods.
 *
 * <p>A backend runs it by extending this class with {@link #newPool(int)}. Tests that do not change the
 * pool's state share one pool of {@value #PROCESSES} workers; tests of the lifecycle, and those that
 * kill workers (a cancelled running task does), build their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PoolContract extends ProcessTestSupport {
    static final int PROCESSES = 2;

    /** A new pool of {@code processes} workers, on the backend under test. */
    protected abstract ProcessPool newPool(int processes);

    /** The pool shared by the tests that leave it as they found it: running, its workers unchanged. */
    protected ProcessPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    void startSharedPool() {
        pool = newPool(PROCESSES);
    }

    @AfterAll
    void closeSharedPool() throws InterruptedException {
        if (pool != null) {
            // shutdownNow, not close(): close() waits as long as a task still runs, and a teardown must end
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, SECONDS)).as("the shared pool terminated: %s", pool).isTrue();
        }
    }

    // ---------------------------------------------------------------- tasks run in the workers

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static int square(int x) {
        return x * x;
    }

    /** Runs in a worker until it is stopped (the tests that do not wait for it to start). */
    static Integer block() {
        sleep(Duration.ofSeconds(300));
        throw new AssertionError("a blocked task was not stopped");
    }

    /** Runs in a worker until it is killed; says it has started by writing its pid to {@code file}. */
    static Integer block(String file) {
        write(file, Long.toString(pid()));
        sleep(Duration.ofSeconds(300));
        throw new AssertionError("a blocked task was not stopped");
    }

    static Integer fail(String message) {
        throw new IllegalStateException(message);
    }

    /** A Callable typed as the ExecutorService's, yet serializable. */
    static <T> Callable<T> callable(SerializableCallable<T> task) {
        return task;
    }

    static Runnable runnable(SerializableRunnable task) {
        return task;
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.get(60, SECONDS);
    }

    // ---------------------------------------------------------------- submit, execute

    @Test
    void submitCallableReturnsItsResultComputedInAWorker() throws Exception {
        Future<Long> future = pool.submit(callable(PoolContract::pid));
        long worker = await(future);
        assertThat(worker).isNotEqualTo(pid());
        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();
    }

    @Test
    void submitRunnableRunsItAndItsFutureYieldsNull() throws Exception {
        String out = file("submitRunnable");
        Future<?> future = pool.submit(runnable(() -> write(out, "ran in " + pid())));
        assertThat(await(future)).isNull();
        assertThat(read(Path.of(out))).startsWith("ran in ").doesNotContain(" " + pid());
    }

    @Test
    void submitRunnableWithResultYieldsTheResult() throws Exception {
        String out = file("submitRunnableResult");
        Future<String> future = pool.submit(runnable(() -> write(out, "ran")), "the result");
        assertThat(await(future)).isEqualTo("the result");
        assertThat(read(Path.of(out))).isEqualTo("ran");
    }

    /** As the TCK's {@code AbstractExecutorServiceTest.testSubmitRunnable2}: the given object itself. */
    @Test
    void submitRunnableWithResultYieldsThatVeryObject() throws Exception {
        String result = new String("the result");
        Future<String> future = pool.submit(runnable(() -> {}), result);
        assertThat(await(future)).isSameAs(result);
    }

    /** The result stays with the caller: it need not be serializable. */
    @Test
    void submitRunnableWithAResultThatIsNotSerializableIsAccepted() throws Exception {
        Object result = new Object();
        Future<Object> future = pool.submit(runnable(() -> {}), result);
        assertThat(await(future)).isSameAs(result);
    }

    @Test
    void executeRunsTheCommand() throws Exception {
        try (ProcessPool own = newPool(1)) {
            String out = file("execute");
            own.execute(runnable(() -> write(out, "executed")));
            own.shutdown();
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
            assertThat(read(Path.of(out))).isEqualTo("executed");
        }
    }

    @Test
    void submitOfAFailingCallableFailsItsFuture() {
        Future<Integer> future = pool.submit(callable(() -> fail("submitted and failed")));
        Throwable thrown = catchThrowable(() -> await(future));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("submitted and failed");
        assertThat(future.isDone()).isTrue();
    }

    // ---------------------------------------------------------------- null and non-serializable tasks

    @Test
    void nullTasksAndCollectionsThrowNullPointerException() {
        assertThatThrownBy(() -> pool.submit((Callable<Object>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.submit((Runnable) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.submit(null, "result")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.invokeAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.invokeAll(null, 1, SECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.invokeAny(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.invokeAny(null, 1, SECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.apply(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.applyAsync(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.map(null, List.of(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.map(PoolContract::square, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.mapAsync(PoolContract::square, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imap(PoolContract::square, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imapUnordered(null, List.of(1), 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.starmap(null, List.of(Map.entry(1, 2)))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.starmap((Integer a, Integer b) -> a + b, null))
                .isInstanceOf(NullPointerException.class);
    }

    /** Own pools: the tasks submitted before the null are cancelled, which may kill a worker. */
    @Test
    void invokeAllWithANullElementThrowsNullPointerException() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        tasks.add(callable(() -> 1));
        tasks.add(null);
        try (ProcessPool own = newPool(1)) {
            assertThatThrownBy(() -> own.invokeAll(tasks)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> own.invokeAll(tasks, 60, SECONDS)).isInstanceOf(NullPointerException.class);
            assertThat(await(own.submit(callable(() -> 2)))).as("the pool still works").isEqualTo(2);
        }
    }

    @Test
    void invokeAnyWithANullElementThrowsNullPointerException() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        tasks.add(callable(() -> 1));
        tasks.add(null);
        try (ProcessPool own = newPool(1)) {
            assertThatThrownBy(() -> own.invokeAny(tasks)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> own.invokeAny(tasks, 60, SECONDS)).isInstanceOf(NullPointerException.class);
            assertThat(await(own.submit(callable(() -> 2)))).as("the pool still works").isEqualTo(2);
        }
    }

    @Test
    void aPlainCallableThatIsNotSerializableIsRejectedNamingItsClass() {
        Callable<Integer> plain = new Callable<>() {  // captures this, is not Serializable
            @Override
            public Integer call() {
                return dir.hashCode();
            }
        };
        assertThatThrownBy(() -> pool.submit(plain)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName());
        assertThatThrownBy(() -> pool.invokeAll(List.of(plain))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName());
        assertThatThrownBy(() -> pool.invokeAny(List.of(plain))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName());
    }

    @Test
    void aPlainRunnableThatIsNotSerializableIsRejectedNamingItsClass() {
        Runnable plain = new Runnable() {
            @Override
            public void run() {
                dir.hashCode();
            }
        };
        assertThatThrownBy(() -> pool.execute(plain)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName());
        assertThatThrownBy(() -> pool.submit(plain)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName());
        assertThatThrownBy(() -> pool.submit(plain, 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName());
    }

    @Test
    void aSerializableLambdaCapturingAThreadIsRejectedNamingTheThreadClass() {
        Thread thread = Thread.currentThread();
        assertThatThrownBy(() -> pool.submit(callable(thread::getName))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(Thread.class.getName());
        assertThatThrownBy(() -> pool.applyAsync(thread::getName)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(Thread.class.getName());
        assertThatThrownBy(() -> pool.map(x -> thread.getName(), List.of(1))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(Thread.class.getName());
    }

    @Test
    void anItemThatIsNotSerializableIsRejectedNamingItsClass() {
        List<Object> items = List.of(1, new Object());
        assertThatThrownBy(() -> pool.map(String::valueOf, items)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(Object.class.getName());
    }

    // ---------------------------------------------------------------- invokeAll

    @Test
    void invokeAllOfNoTasksReturnsAnEmptyList() throws Exception {
        assertThat(pool.invokeAll(List.<Callable<Integer>>of())).isEmpty();
        assertThat(pool.invokeAll(List.<Callable<Integer>>of(), 60, SECONDS)).isEmpty();
    }

    @Test
    void invokeAllReturnsEveryFutureDoneInTheTasksOrder() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            tasks.add(callable(() -> square(n)));
        }
        List<Future<Integer>> futures = pool.invokeAll(tasks);
        assertThat(futures).hasSize(10).allMatch(Future::isDone);
        for (int i = 0; i < 10; i++) {
            assertThat(futures.get(i).get()).isEqualTo(i * i);
        }
    }

    @Test
    void invokeAllKeepsTaskExceptionsInsideTheirFutures() throws Exception {
        List<Callable<Integer>> tasks = List.of(callable(() -> 1), callable(() -> fail("second fails")),
                callable(() -> 3));
        List<Future<Integer>> futures = pool.invokeAll(tasks);
        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo(1);
        assertThatThrownBy(() -> futures.get(1).get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("second fails");
        assertThat(futures.get(2).get()).isEqualTo(3);
    }

    @Test
    void timedInvokeAllReturnsEveryFutureDoneInOrderWhenAllFinishInTime() throws Exception {
        List<Callable<Integer>> tasks = List.of(callable(() -> 1), callable(() -> fail("timed, fails")),
                callable(() -> 3));
        List<Future<Integer>> futures = pool.invokeAll(tasks, 60, SECONDS);
        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo(1);
        assertThatThrownBy(() -> futures.get(1).get()).isInstanceOf(ExecutionException.class)
                .cause().hasMessage("timed, fails");
        assertThat(futures.get(2).get()).isEqualTo(3);
    }

    @Test
    void timedInvokeAllCancelsTheTasksUnfinishedAtTheTimeout() throws Exception {
        ProcessPool own = newPool(PROCESSES);
        try {
            await(own.submit(callable(() -> 0))); // the workers are up: the quick task has all the time it needs
            List<Callable<Integer>> tasks = List.of(callable(() -> 1), callable(() -> block()),
                    callable(() -> block()));
            List<Future<Integer>> futures = own.invokeAll(tasks, 2, SECONDS);
            assertThat(futures).hasSize(3).allMatch(Future::isDone);
            assertThat(futures.get(0).get()).isEqualTo(1);
            assertThat(futures.get(1).isCancelled()).isTrue();
            assertThat(futures.get(2).isCancelled()).isTrue();
            assertThatThrownBy(() -> futures.get(1).get()).isInstanceOf(CancellationException.class);
            assertThat(await(own.submit(callable(() -> 4)))).as("the pool still works").isEqualTo(4);
            own.shutdown();
            assertThat(own.awaitTermination(60, SECONDS)).as("terminated: %s", own).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    /** "if interrupted while waiting, in which case unfinished tasks are cancelled" */
    @Test
    void invokeAllInterruptedCancelsTheUnfinishedTasks() throws Exception {
        ProcessPool own = newPool(1);
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> own.invokeAll(List.of(callable(() -> block()))))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            assertThat(own.submit(callable(() -> 5)).get(30, SECONDS))
                    .as("the pool's one worker is free again: the blocking task was cancelled").isEqualTo(5);
        } finally {
            Thread.interrupted();
            own.shutdownNow();
        }
    }

    @Test
    void timedInvokeAllInterruptedCancelsTheUnfinishedTasks() throws Exception {
        ProcessPool own = newPool(1);
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> own.invokeAll(List.of(callable(() -> block())), 60, SECONDS))
                    .isInstanceOf(InterruptedException.class);
            assertThat(own.submit(callable(() -> 5)).get(30, SECONDS))
                    .as("the pool's one worker is free again: the blocking task was cancelled").isEqualTo(5);
        } finally {
            Thread.interrupted();
            own.shutdownNow();
        }
    }

    @Test
    void invokeAnyInterruptedThrowsInterruptedExceptionAndCancelsTheTasks() throws Exception {
        ProcessPool own = newPool(1);
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> own.invokeAny(List.of(callable(() -> block()))))
                    .isInstanceOf(InterruptedException.class);
            assertThat(own.submit(callable(() -> 5)).get(30, SECONDS)).isEqualTo(5);
        } finally {
            Thread.interrupted();
            own.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- invokeAny

    @Test
    void invokeAnyOfNoTasksThrowsIllegalArgumentException() {
        assertThatThrownBy(() -> pool.invokeAny(List.<Callable<Integer>>of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.invokeAny(List.<Callable<Integer>>of(), 60, SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invokeAnyReturnsTheResultOfATaskThatSucceeded() throws Exception {
        List<Callable<Integer>> tasks = List.of(callable(() -> fail("one fails")), callable(() -> 42),
                callable(() -> fail("another fails")));
        try (ProcessPool own = newPool(PROCESSES)) { // the tasks left when one succeeds are cancelled
            assertThat(own.invokeAny(tasks)).isEqualTo(42);
            assertThat(own.invokeAny(tasks, 60, SECONDS)).isEqualTo(42);
        }
    }

    @Test
    void invokeAnyThrowsExecutionExceptionWhenEveryTaskFails() {
        List<Callable<Integer>> tasks = List.of(callable(() -> fail("all fail")), callable(() -> fail("all fail")));
        assertThatThrownBy(() -> pool.invokeAny(tasks)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("all fail");
        assertThatThrownBy(() -> pool.invokeAny(tasks, 60, SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("all fail");
    }

    @Test
    void timedInvokeAnyThrowsTimeoutExceptionWhenNoTaskFinishesInTime() throws Exception {
        try (ProcessPool own = newPool(1)) {
            assertThatThrownBy(() -> own.invokeAny(List.of(callable(() -> block())), 200, MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            assertThat(await(own.submit(callable(() -> 5)))).as("the pool still works").isEqualTo(5);
        }
    }

    /**
     * {@code cancel(true)} reaches only the task it is called on, however close to its end that task
     * is: a task queued behind it completes normally. Each round cancels a little later, so that some
     * rounds cancel a task whose result is already on its way back.
     */
    @Test
    void cancellingATaskNeverFailsAnother() throws Exception {
        try (ProcessPool own = newPool(1)) {
            await(own.submit(callable(() -> 0)));
            for (int i = 0; i < 40; i++) {
                Future<Integer> cancelled = own.submit(callable(() -> -1));
                int n = i;
                Future<Integer> next = own.submit(callable(() -> {
                    sleep(Duration.ofMillis(50));
                    return n;
                }));
                long until = System.nanoTime() + i * 25_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                cancelled.cancel(true);
                try {
                    assertThat(await(next)).as("round %d", i).isEqualTo(n);
                } catch (CancellationException e) {
                    throw new AssertionError("round " + i + ": a task queued behind a cancelled one is cancelled too", e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void aNewPoolIsNeitherShutDownNorTerminated() throws Exception {
        assertThat(pool.isShutdown()).isFalse();
        assertThat(pool.isTerminated()).isFalse();
        assertThat(pool.awaitTermination(10, MILLISECONDS)).isFalse();
        assertThat(pool.processes()).isEqualTo(PROCESSES);
    }

    @Test
    void shutdownRunsTheQueuedTasksAndRejectsNewOnes() throws Exception {
        ProcessPool own = newPool(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                futures.add(own.submit(callable(() -> {
                    sleep(Duration.ofMillis(50));
                    return n;
                })));
            }
            own.shutdown();
            assertThat(own.isShutdown()).isTrue();
            assertThatThrownBy(() -> own.submit(callable(() -> 1))).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> own.submit(runnable(() -> {}))).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> own.execute(runnable(() -> {}))).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> own.applyAsync(() -> 1)).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> own.map(PoolContract::square, List.of(1))).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> own.invokeAll(List.of(callable(() -> 1)))).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> own.invokeAny(List.of(callable(() -> 1)))).isInstanceOf(RejectedExecutionException.class);
            for (int i = 0; i < 6; i++) {
                assertThat(await(futures.get(i))).isEqualTo(i);
            }
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
            assertThat(own.isTerminated()).isTrue();
            assertThat(own.isShutdown()).isTrue();
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void shutdownOfAnIdlePoolTerminatesIt() throws Exception {
        ProcessPool own = newPool(1);
        own.shutdown();
        own.shutdown(); // idempotent
        assertThat(own.awaitTermination(60, SECONDS)).isTrue();
        assertThat(own.isTerminated()).isTrue();
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverStartedAndKillsTheWorkers() throws Exception {
        ProcessPool own = newPool(1);
        try {
            String started = file("shutdownNow");
            Future<Integer> running = own.submit(callable(() -> block(started)));
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                waiting.add(own.submit(callable(() -> n)));
            }
            awaitCondition("the blocking task starts", Duration.ofSeconds(60), () -> Files.exists(Path.of(started)));
            long worker = Long.parseLong(read(Path.of(started)));

            List<Runnable> neverStarted = own.shutdownNow();

            assertThat(own.isShutdown()).isTrue();
            assertThat(own.awaitTermination(60, SECONDS)).isTrue();
            assertThat(own.isTerminated()).isTrue();
            assertThat(ProcessHandle.of(worker).map(p -> p.onExit().orTimeout(30, SECONDS).join())
                    .map(ProcessHandle::isAlive)).as("the worker running the task is killed").isNotEqualTo(
                            java.util.Optional.of(true));
            assertThat(running.isDone()).as("the running task's future is done").isTrue();
            assertThat(neverStarted).as("every task that had not started, whether or not a worker held it")
                    .hasSize(waiting.size());
            assertThatThrownBy(() -> own.submit(callable(() -> 1))).isInstanceOf(RejectedExecutionException.class);
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void theTasksShutdownNowReturnsCanBeRunByTheCaller() throws Exception {
        ProcessPool own = newPool(1);
        try {
            String started = file("shutdownNowRun");
            own.submit(callable(() -> block(started)));
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                waiting.add(own.submit(callable(() -> square(n))));
            }
            awaitCondition("the blocking task starts", Duration.ofSeconds(60), () -> Files.exists(Path.of(started)));
            List<Runnable> neverStarted = own.shutdownNow();
            assertThat(neverStarted).isNotEmpty();
            neverStarted.forEach(Runnable::run);
            for (Runnable task : neverStarted) {
                assertThat(waiting).contains(castFuture(task));
                assertThat(castFuture(task).get(0, SECONDS)).isIn(0, 1, 4, 9);
            }
        } finally {
            own.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static Future<Integer> castFuture(Runnable task) {
        assertThat(task).isInstanceOf(Future.class);
        return (Future<Integer>) task;
    }

    @Test
    void closeWaitsForTheSubmittedTasksAndTerminates() throws Exception {
        ProcessPool own = newPool(1);
        Future<Integer> future = own.submit(callable(() -> {
            sleep(Duration.ofMillis(200));
            return 7;
        }));
        own.close();
        assertThat(future.isDone()).isTrue();
        assertThat(future.get(0, SECONDS)).isEqualTo(7);
        assertThat(own.isShutdown()).isTrue();
        assertThat(own.isTerminated()).isTrue();
        own.close(); // idempotent
        own.shutdown();
        assertThat(own.shutdownNow()).isEmpty();
    }

    /** {@code ExecutorService.close()}: interrupted while waiting, it stops the tasks as shutdownNow does. */
    @Test
    void closeInterruptedStopsTheTasksAndKeepsTheInterrupt() throws Exception {
        ProcessPool own = newPool(1);
        try {
            String started = file("closeInterrupted");
            Future<Integer> running = own.submit(callable(() -> block(started)));
            awaitCondition("the blocking task starts", Duration.ofSeconds(60), () -> Files.exists(Path.of(started)));
            Thread.currentThread().interrupt();
            own.close();
            assertThat(Thread.interrupted()).as("the interrupt status is kept").isTrue();
            assertThat(own.isTerminated()).isTrue();
            assertThat(running.isDone()).isTrue();
        } finally {
            Thread.interrupted();
            own.shutdownNow();
        }
    }

    @Test
    void cancelOfAQueuedTaskRemovesIt() throws Exception {
        try (ProcessPool own = newPool(1)) {
            String started = file("cancelQueued");
            Future<Integer> running = own.submit(callable(() -> {
                write(started, "x");
                sleep(Duration.ofMillis(500));
                return 1;
            }));
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                queued.add(own.submit(callable(() -> 2)));
            }
            Future<Integer> last = queued.get(3);
            assertThat(last.cancel(false)).isTrue();
            assertThat(last.isCancelled()).isTrue();
            assertThat(last.isDone()).isTrue();
            assertThatThrownBy(() -> last.get(0, SECONDS)).isInstanceOf(CancellationException.class);
            assertThat(await(running)).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                assertThat(await(queued.get(i))).isEqualTo(2);
            }
        }
    }

    // ---------------------------------------------------------------- Python's apply and map family

    @Test
    void applyRunsInAWorkerAndWaits() {
        long worker = pool.apply(PoolContract::pid);
        assertThat(worker).isNotEqualTo(pid());
    }

    @Test
    void applyThrowsTheTasksExceptionAsTheCauseOfCompletionException() {
        assertThatThrownBy(() -> pool.apply(() -> fail("apply fails"))).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("apply fails");
    }

    @Test
    void applyAsyncCompletesItsFuture() throws Exception {
        CompletableFuture<Integer> future = pool.applyAsync(() -> square(12));
        assertThat(await(future)).isEqualTo(144);
    }

    @Test
    void mapKeepsTheOrderWithTheDefaultChunks() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        assertThat(pool.map(PoolContract::square, items)).isEqualTo(squares(100));
    }

    @Test
    void mapKeepsTheOrderWithEveryChunksize() {
        List<Integer> items = IntStream.range(0, 30).boxed().toList();
        for (int chunksize : new int[] {1, 7, 30, 31, 1000}) {
            assertThat(pool.<Integer, Integer>map(PoolContract::square, items, chunksize)).as("chunksize %d", chunksize)
                    .isEqualTo(squares(30));
        }
    }

    @Test
    void mapOfNoItemsIsEmpty() {
        assertThat(pool.map(PoolContract::square, List.<Integer>of())).isEmpty();
        assertThat(pool.map(PoolContract::square, List.<Integer>of(), 3)).isEmpty();
    }

    /** Items and results cross exactly, whatever chars a string holds (a lone surrogate is a legal Java string). */
    @Test
    void mapCarriesEveryStringExactly() {
        List<String> items = List.of("plain", "\uD800", "x\uDFFFy", "\uD83D\uDE00", "");
        assertThat(escaped(pool.map(s -> s, items))).as("strings there and back").isEqualTo(escaped(items));
        assertThat(pool.map(s -> s.length() + ":" + (int) (s.isEmpty() ? 0 : s.charAt(0)), items))
                .as("strings as the worker sees them").containsExactly("5:112", "1:55296", "3:120", "2:55357", "0:0");
        assertThat(pool.apply(() -> "\uD800")).as("apply, for comparison").isEqualTo("\uD800");
    }

    @Test
    void mapCarriesNullItemsAndResults() {
        List<Integer> items = Arrays.asList(1, null, 3);
        assertThat(pool.map(x -> x == null ? null : x * 2, items)).containsExactly(2, null, 6);
    }

    @Test
    void mapTakesAnyIterable() {
        Set<Integer> items = new java.util.TreeSet<>(List.of(3, 1, 2));
        assertThat(pool.map(PoolContract::square, items)).containsExactly(1, 4, 9);
    }

    @Test
    void mapRejectsAChunksizeBelowOne() {
        assertThatThrownBy(() -> pool.map(PoolContract::square, List.of(1), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> pool.mapAsync(PoolContract::square, List.of(1), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> pool.imap(PoolContract::square, List.of(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.imapUnordered(PoolContract::square, List.of(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapThrowsTheFunctionsExceptionAsTheCauseOfCompletionException() {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        assertThatThrownBy(() -> pool.map(x -> x == 13 ? fail("13 fails") : x, items, 3))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("13 fails");
    }

    @Test
    void mapAsyncCompletesWithTheResultsInOrder() throws Exception {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        CompletableFuture<List<Integer>> byDefault = pool.mapAsync(PoolContract::square, items);
        CompletableFuture<List<Integer>> bySeven = pool.mapAsync(PoolContract::square, items, 7);
        assertThat(await(byDefault)).isEqualTo(squares(50));
        assertThat(await(bySeven)).isEqualTo(squares(50));
    }

    @Test
    void mapAsyncFailsWithTheFunctionsException() {
        CompletableFuture<List<Integer>> future = pool.mapAsync(x -> x == 3 ? fail("3 fails") : x, List.of(1, 2, 3, 4), 1);
        assertThatThrownBy(() -> await(future)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class).hasMessage("3 fails");
    }

    @Test
    void imapYieldsTheResultsInOrder() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        assertThat(drain(pool.imap(PoolContract::square, items))).isEqualTo(squares(100));
        assertThat(drain(pool.imap(PoolContract::square, items, 7))).isEqualTo(squares(100));
        assertThat(drain(pool.imap(PoolContract::square, List.<Integer>of()))).isEmpty();
    }

    @Test
    void imapReadsItsInputLazily() {
        Iterable<Integer> endless = () -> Stream.iterate(0, i -> i + 1).iterator();
        Iterator<Integer> results = pool.imap(PoolContract::square, endless, 5);
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(results.next());
        }
        assertThat(first).isEqualTo(squares(40));
        assertThat(results.hasNext()).isTrue();
    }

    @Test
    void imapThrowsTheFunctionsExceptionFromNext() {
        Iterator<Integer> results = pool.imap(x -> x == 2 ? fail("2 fails") : x, List.of(0, 1, 2, 3));
        assertThat(results.next()).isEqualTo(0);
        assertThat(results.next()).isEqualTo(1);
        assertThatThrownBy(() -> {
            results.hasNext();
            results.next();
        }).isInstanceOf(CompletionException.class).cause().isInstanceOf(IllegalStateException.class).hasMessage("2 fails");
    }

    @Test
    void imapUnorderedYieldsEveryResult() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        assertThat(drain(pool.imapUnordered(PoolContract::square, items, 1))).containsExactlyInAnyOrderElementsOf(squares(100));
        assertThat(drain(pool.imapUnordered(PoolContract::square, items, 9))).containsExactlyInAnyOrderElementsOf(squares(100));
        assertThat(drain(pool.imapUnordered(PoolContract::square, List.<Integer>of(), 1))).isEmpty();
    }

    @Test
    void imapUnorderedReadsItsInputLazily() {
        Iterable<Integer> endless = () -> Stream.iterate(0, i -> i + 1).iterator();
        Iterator<Integer> results = pool.imapUnordered(PoolContract::square, endless, 5);
        for (int i = 0; i < 40; i++) {
            assertThat(results.next()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void starmapAppliesTheFunctionToEachPairInOrder() {
        List<Map.Entry<String, Integer>> pairs = List.of(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3));
        List<String> results = pool.starmap((String s, Integer n) -> s.repeat(n), pairs);
        assertThat(results).containsExactly("a", "bb", "ccc");
        assertThat(pool.starmap((String s, Integer n) -> s, List.<Map.Entry<String, Integer>>of())).isEmpty();
    }

    // ---------------------------------------------------------------- other processes

    @Test
    void theResultsAreComputedInAtMostProcessesOtherProcesses() {
        List<Long> pids = pool.map(x -> {
            sleep(Duration.ofMillis(5));
            return pid();
        }, IntStream.range(0, 60).boxed().toList(), 1);
        Set<Long> distinct = new HashSet<>(pids);
        assertThat(distinct).doesNotContain(pid());
        assertThat(distinct).hasSizeBetween(1, PROCESSES);
        assertThat(pool.workerPids()).hasSizeLessThanOrEqualTo(PROCESSES).containsAll(distinct);
    }

    /** The strings' chars as {@code \\uXXXX}, so that a failure shows what a lone surrogate became. */
    static List<String> escaped(List<String> strings) {
        return strings.stream().map(s -> s.chars().mapToObj(c -> String.format("\\u%04X", c))
                .reduce("", String::concat)).toList();
    }

    static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(i -> i * i).boxed().toList();
    }

    static <T> List<T> drain(Iterator<T> iterator) {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }
}
