package org.multiprocessing4j.bench;

import java.util.List;

/**
 * One workload of the side-by-side bench: the CPython script and the Java main that run the same
 * shape (their docstrings state it), and what each side is given per round.
 *
 * <p>Both sides get {@code --n N} (timed repetitions inside the one process, whose median the side
 * reports) and the same {@code args}; quick mode only lowers {@code n} (and, where a repetition
 * takes seconds, the size), never the shape.
 *
 * @param id        the {@code workload} field of the result lines
 * @param label     the progress line's tag
 * @param script    in {@code bench/python/}
 * @param mainClass the Java side, a class of this package with a {@code main}
 */
record Workload(String id, String label, String script, Class<?> mainClass, int quickN, int fullN,
        List<String> quickArgs, List<String> fullArgs) {

    static final Workload START_JOIN = new Workload("start_join", "start+join", "start_join.py",
            StartJoinWorkload.class, 3, 9, List.of(), List.of());
    static final Workload POOL_CREATE = new Workload("pool_create", "pool create", "pool_create.py",
            PoolCreateWorkload.class, 2, 7, List.of(), List.of());
    static final Workload APPLY_ASYNC = new Workload("apply_async", "apply_async", "apply_async.py",
            ApplyAsyncWorkload.class, 1, 5, List.of(), List.of());
    /**
     * The same, once the rate has settled: both sides run untimed for 3 s first (1.5 s quick). A fresh
     * parent's JIT takes about 20 runs of 5,000 to reach its steady rate (43–61k/s in the first runs,
     * 250–570k/s after), so {@link #APPLY_ASYNC}, one warm-up run, measures the first use.
     */
    static final Workload APPLY_ASYNC_STEADY = new Workload("apply_async_steady", "apply_async, steady state",
            "apply_async.py", ApplyAsyncWorkload.class, 1, 5, List.of("--warm-up-ms", "1500"),
            List.of("--warm-up-ms", "3000"));
    static final Workload IMAP = new Workload("imap", "imap chunksize 1", "imap.py",
            ImapWorkload.class, 1, 5, List.of(), List.of());
    /** {@link #IMAP} once the rate has settled, as {@link #APPLY_ASYNC_STEADY}. */
    static final Workload IMAP_STEADY = new Workload("imap_steady", "imap chunksize 1, steady state", "imap.py",
            ImapWorkload.class, 1, 5, List.of("--warm-up-ms", "1500"), List.of("--warm-up-ms", "3000"));
    static final Workload MAP = new Workload("map", "map default chunks", "pool_map.py",
            MapWorkload.class, 2, 9, List.of(), List.of());
    static final Workload APPLY_ASYNC_ARGS = new Workload("apply_async_args", "apply_async(f, (k,))",
            "apply_async_args.py", ApplyAsyncArgsWorkload.class, 1, 5, List.of(), List.of());
    static final Workload STARMAP = new Workload("starmap", "starmap pairs", "starmap.py",
            StarmapWorkload.class, 2, 9, List.of(), List.of());
    static final Workload CPU_COARSE = new Workload("cpu_coarse", "CPU-bound, 16 × 100 ms", "cpu_speedup.py",
            CpuSpeedupWorkload.class, 1, 3, List.of("--items", "16", "--item-ms", "100"),
            List.of("--items", "16", "--item-ms", "100"));
    static final Workload CPU_FINE = new Workload("cpu_fine", "CPU-bound, 64 × 5 ms", "cpu_speedup.py",
            CpuSpeedupWorkload.class, 1, 3, List.of("--items", "64", "--item-ms", "5", "--warm-up-ms", "3000"),
            List.of("--items", "64", "--item-ms", "5", "--warm-up-ms", "6000"));
    static final Workload EXECUTOR_SUBMIT = new Workload("executor_submit", "PPE submit", "executor_submit.py",
            ExecutorSubmitWorkload.class, 1, 5, List.of(), List.of());
    static final Workload EXECUTOR_MAP = new Workload("executor_map", "PPE map(chunksize=1000)", "executor_map.py",
            ExecutorMapWorkload.class, 2, 9, List.of(), List.of());

    static final Workload MANAGER_DICT = new Workload("manager_dict", "manager dict round trips", "manager_dict.py",
            ManagerDictWorkload.class, 1, 5, List.of(), List.of());
    static final Workload MANAGER_COUNTDOWN = new Workload("manager_countdown", "manager count-down",
            "manager_countdown.py", ManagerCountdownWorkload.class, 1, 3, List.of(), List.of());
    static final Workload VALUE_UNDER_LOCK = new Workload("value_under_lock", "value +1 under the lock, 2 processes",
            "value_increment.py", ValueIncrementWorkload.class, 1, 5, List.of("--count", "200000", "--under-lock"),
            List.of("--under-lock"));
    static final Workload VALUE_INCREMENT = new Workload("value_increment", "value +1, 2 processes",
            "value_increment.py", ValueIncrementWorkload.class, 1, 5, List.of("--count", "200000"), List.of());
    static final Workload ARRAY_SUM = new Workload("array_sum", "child sums shared array", "array_sum.py",
            ArraySumWorkload.class, 2, 3, List.of("--mib", "32"), List.of());

    static final Workload QUEUE_SMALL = new Workload("queue_int", "queue ints", "queue_transfer.py",
            QueueWorkload.class, 1, 5, List.of("--item", "int", "--count", "50000"), List.of("--item", "int"));
    static final Workload QUEUE_KIB = new Workload("queue_kib", "queue 1 KiB", "queue_transfer.py",
            QueueWorkload.class, 1, 5, List.of("--item", "kib", "--count", "50000"), List.of("--item", "kib"));
    static final Workload JOINABLE_QUEUE = new Workload("joinable_queue", "joinable queue", "queue_transfer.py",
            QueueWorkload.class, 1, 5, List.of("--item", "int", "--count", "50000", "--joinable"),
            List.of("--item", "int", "--joinable"));
    static final Workload QUEUE_MPMC = new Workload("queue_mpmc", "queue 4 × 4", "queue_mpmc.py",
            QueueMpmcWorkload.class, 1, 5, List.of("--count", "50000"), List.of());
    static final Workload PIPE_ROUND_TRIP = new Workload("pipe_round_trip", "pipe round trip", "pipe_round_trip.py",
            PipeRoundTripWorkload.class, 2, 5, List.of(), List.of());
    static final Workload PIPE_BYTES = new Workload("pipe_bytes", "pipe 1 MiB", "pipe_bytes.py",
            PipeBytesWorkload.class, 2, 5, List.of("--count", "64"), List.of());
    static final Workload LOCK_UNCONTENDED = new Workload("lock_uncontended", "lock uncontended",
            "lock_uncontended.py", LockUncontendedWorkload.class, 2, 5, List.of(), List.of());
    static final Workload EVENT_WAKE = new Workload("event_wake", "event wake latency", "event_wake.py",
            EventWakeWorkload.class, 1, 5, List.of(), List.of());
    static final Workload LOCK_WAKE = new Workload("lock_wake", "lock wake latency", "lock_wake.py",
            LockWakeWorkload.class, 1, 5, List.of(), List.of());

    // The same with the callers on virtual threads (CPython's side runs as above: OS threads only).
    static final Workload QUEUE_SMALL_VIRTUAL = new Workload("queue_int_virtual", "queue ints, virtual threads",
            "queue_transfer.py", QueueWorkload.class, 1, 5, List.of("--item", "int", "--count", "50000",
                    "--threads", "virtual"), List.of("--item", "int", "--threads", "virtual"));
    static final Workload EVENT_WAKE_VIRTUAL = new Workload("event_wake_virtual", "event wake, virtual threads",
            "event_wake.py", EventWakeWorkload.class, 1, 5, List.of("--threads", "virtual"),
            List.of("--threads", "virtual"));
    static final Workload LOCK_WAKE_VIRTUAL = new Workload("lock_wake_virtual", "lock wake, virtual threads",
            "lock_wake.py", LockWakeWorkload.class, 1, 5, List.of("--threads", "virtual"),
            List.of("--threads", "virtual"));

    /** The pool scripts' shared module. */
    static final String SHARED_SCRIPT = "mp4jbench.py";

    /** Every script a run may need, for a bench run outside the source tree (copied from the JAR). */
    static List<String> scripts() {
        List<String> names = new java.util.ArrayList<>(List.of(SHARED_SCRIPT));
        List.of(START_JOIN, POOL_CREATE, APPLY_ASYNC, APPLY_ASYNC_STEADY, APPLY_ASYNC_ARGS, IMAP, IMAP_STEADY, MAP, STARMAP, CPU_COARSE, CPU_FINE,
                        EXECUTOR_SUBMIT, EXECUTOR_MAP,
                        MANAGER_DICT, MANAGER_COUNTDOWN,
                        VALUE_INCREMENT, ARRAY_SUM,
                        QUEUE_SMALL, QUEUE_KIB, JOINABLE_QUEUE, QUEUE_MPMC, PIPE_ROUND_TRIP, PIPE_BYTES, LOCK_UNCONTENDED, EVENT_WAKE,
                        LOCK_WAKE)
                .stream().map(Workload::script).distinct().forEach(names::add);
        return names;
    }

    int n(boolean quick) {
        return quick ? quickN : fullN;
    }

    List<String> args(boolean quick) {
        return quick ? quickArgs : fullArgs;
    }
}
