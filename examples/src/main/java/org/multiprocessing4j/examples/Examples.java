package org.multiprocessing4j.examples;

import java.util.List;
import java.util.Optional;

/**
 * The registry of the examples: what {@code mp4j tour} runs, in order, and what the tests check. Each
 * entry names an example (kebab-case, for the command line), its class with a {@code main}, the seed
 * it ports and the one thing it proves.
 */
public final class Examples {
    /** One example: {@code name} on the command line, {@code mainClass} to run, what it {@code proves}. */
    public record Example(String name, Class<?> mainClass, String seed, String proves) {}

    private static final List<Example> ALL = List.of(
            new Example("create-process", CreateProcess.class, "seed 001 §4, Process(target, args, name)",
                    "a child is a separate JVM: its own pid, our pid as its parent, the name and argument sent to it"),
            new Example("five-processes", FiveProcesses.class, "seed 002, a loop of start() + join()",
                    "start() then join() in a loop runs five children one after another, five distinct pids"),
            new Example("my-process", MyProcessExample.class, "seed 001 §5, class MyProcess(Process)",
                    "a ChildProcess subclass's fields travel to the child; three run in parallel, then all are joined"),
            new Example("pid-ppid", PidPpid.class, "seed 003, os.getpid() / os.getppid()",
                    "the child's parent pid is the main process's pid; parentProcess() tells the child who started it"),
            new Example("daemon", DaemonExample.class, "seed 004, p.daemon = True",
                    "a daemon ends with the main process, a non-daemon is waited for, a daemon may not have children"),
            new Example("terminate-and-alive", TerminateAndAlive.class, "seed 003, terminate / is_alive / join(timeout)",
                    "join(timeout) returns while the child runs; after terminate() and join() it is not alive, exit code -15"),
            new Example("exit-codes", ExitCodes.class, "seed 003, p.exitcode",
                    "Python's exit codes: 0 returned, 3 System.exit(3), 1 uncaught exception, -15 terminate(), -9 kill()"),
            new Example("cpu-vs-io", CpuVsIo.class, "seed 001 part 2, CPU-bound vs IO-bound",
                    "CPU-bound work speeds up with processes up to the CPU count, IO-bound (waiting) work beyond it"),
            new Example("pool-apply-async", PoolApplyAsync.class, "seed 000, Pool(3), apply_async, close, join",
                    "a pool of 3 runs 21 tasks in at most 3 worker processes, reused; shutdown + awaitTermination wait for all"),
            new Example("pool-map", PoolMap.class, "seed 003, pool.map, chunksize, starmap",
                    "map, map with a chunksize, starmap, imap return results in input order; a chunk runs in one worker"),
            new Example("pool-apply-get", PoolApplyGet.class, "seed 000 + 003, apply_async(...).get(), apply",
                    "applyAsync returns a future at once, get() the worker's return value; apply blocks for it"),
            new Example("start-methods", StartMethods.class, "beyond the seeds: get_context('spawn' / 'forkserver')",
                    "a Pool(2) on a WARM_SPARE context starts on JVMs booted before it was asked for (they are "
                            + "already its children), and its first result comes sooner than on fresh JVMs"),
            new Example("process-pool-executor", ProcessPoolExecutorExample.class,
                    "seed 003, ProcessPoolExecutor, submit, as_completed",
                    "the pool is an ExecutorService: submit, as_completed over CompletableFutures, invokeAll"),
            new Example("pool-cpu-vs-io", PoolCpuVsIo.class, "seed 003 + 001 part 2, pool vs serial timing",
                    "a pool of cpuCount() speeds up CPU-bound work; IO-bound work gains from a bigger pool"),
            new Example("pool-progress", PoolProgress.class,
                    "mpire's map(progress_bar=True) and print_insights(), tqdm over imap",
                    "a long map shows a progress bar (count, %, rate, ETA) that the workers' lines never break "
                            + "into; the insights single out the worker made slow on purpose"),
            new Example("pool-robustness", PoolRobustness.class, "seed 003, an error in a worker brings the pool down",
                    "a dead worker fails only its task (WorkerLostException), a task's exception is the cause, "
                            + "taskTimeout gives TaskTimeoutException; the pool keeps working"),
            new Example("manager-dict-list", ManagerDictList.class, "seed 003, Manager().dict() and .list()",
                    "ten processes write one dict and one list that live in the manager's server process"),
            new Example("manager-count-down", ManagerCountDown.class, "seed 003, {'count': 100} under manager.Lock()",
                    "100 processes each take 1 from a shared count under the manager's lock: it ends at exactly 0"),
            new Example("manager-serve-connect", ManagerServeConnect.class, "seed 003, BaseManager serve / connect",
                    "one process serves a manager on TCP, others reach it with Manager.connect(address, authkey)"),
            new Example("value-and-array", ValueAndArray.class, "seed 003, Array('i', 4) and Value('i')",
                    "a child writes squares into a shared array and their sum into a shared value; the main process "
                            + "reads them (result[:] is toArray()); a plain array stays the parent's own"),
            new Example("counter", Counter.class, "seed 004 + 000, a counter without and with a lock",
                    "get/set from 4 processes loses updates; incrementAndGet() and the value's lock() are exact"),
            new Example("ticket-race", TicketRace.class, "seed 004, 抢票: 100 clients, a JSON file as the database",
                    "without a lock the one ticket is sold many times; with ctx.lock() exactly once"),
            new Example("queue-producer-consumer", QueueProducerConsumer.class,
                    "seed 001 §7.2 + 004, Queue with a None end signal",
                    "a producer process puts 10 items then a sentinel; a consumer process takes all 10, in order"),
            new Example("joinable-queue-consumers", JoinableQueueConsumers.class,
                    "seed 004, JoinableQueue, task_done, join, daemon consumers",
                    "3 producers' join() returns once 2 daemon consumers did taskDone() for all 30 items; "
                            + "the daemons end with the main process"),
            new Example("queue-sum", QueueSum.class, "seed 001 §7.1, q.put(100), 10 × get, +1, put",
                    "10 processes each take the number, add 1, put it back: the queue holds exactly 110"),
            new Example("pipe-ping-pong", PipePingPong.class, "seed 001 §8 + 003, Pipe(), send / recv until END",
                    "a writer process sends through a one-way pipe, a reader receives until END; a duplex "
                            + "ping-pong ends with EOFException when the child closes its end"),
            new Example("listener-client", ListenerClient.class, "seed 001 §8 + 003, connection.Listener / Client",
                    "a client process with the authkey talks to the main process's listener; a wrong key is "
                            + "refused (AuthenticationException) and the listener keeps serving"));

    /**
     * Examples the tour runs only when named ({@code mp4j tour cluster}): slow, or needing more than
     * core on the class path.
     */
    private static final List<Example> BY_NAME = List.of(
            new Example("cluster", ClusterTour.class,
                    "pool-map and queue-producer-consumer on 3 cluster members (mp4j tour cluster)",
                    "the seeds' pool and producer/consumer programs run unchanged but for the context line on "
                            + "3 members started on loopback; each task shows its member and worker pid"));

    private Examples() {}

    /** The examples the tour runs only when named, after {@link #all()} in {@code --list}. */
    public static List<Example> byNameOnly() {
        return BY_NAME;
    }

    /** Every example, in the order the tour runs them. */
    public static List<Example> all() {
        return ALL;
    }

    /** The example called {@code name}, if there is one. */
    public static Optional<Example> named(String name) {
        return java.util.stream.Stream.concat(ALL.stream(), BY_NAME.stream()).filter(e -> e.name().equals(name)).findFirst();
    }
}
