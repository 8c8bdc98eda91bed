"""A shared counter incremented by two processes, with CPython's Value under get_lock().

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ValueIncrementWorkload.java):
a shared counter (``Value('q', 0)``, with its default lock); two child processes of ``--method``,
started once; rounds 0 ... ``--n``, round 0 the warm-up, untimed. In each round both children wait at
a start line (a shared round number they spin on), then each adds 1 ``--count`` times (default
1,000,000) with ``with v.get_lock(): v.value += 1`` -- Java: ``incrementAndGet()``, or with
``--under-lock`` the same loop as here, a plain get and set under the value's ``lock()`` -- and records its
start and end (``time.monotonic_ns``, CLOCK_MONOTONIC, comparable across processes). The parent checks
the total (exact: 2 x count per round, cumulative) and prints one JSON line: ``increments_per_s``
(2 x count / (last end - first start)) and that time in ms.
"""
import time

import mp4jbench

PROCESSES = 2
GO, DONE = 0, 1


def slot(r, child):
    return (r * PROCESSES + child) * 2


def increment(counter, ctl, times, child, count, rounds):
    for r in range(rounds):
        while ctl[GO] < r + 1:
            pass
        t0 = time.monotonic_ns()
        for _ in range(count):
            with counter.get_lock():
                counter.value += 1
        t1 = time.monotonic_ns()
        times[slot(r, child)] = t0
        times[slot(r, child) + 1] = t1
        with ctl.get_lock():
            ctl[DONE] += 1


def main():
    args = mp4jbench.parse(__doc__, 5, {"--count": {"type": int, "default": 1_000_000},
                                        "--under-lock": {"action": "store_true"}})
    ctx, count, rounds = args.ctx, args.count, args.n + 1
    counter = ctx.Value("q", 0)
    ctl = ctx.Array("q", 2)
    times = ctx.RawArray("q", rounds * PROCESSES * 2)
    children = [ctx.Process(target=increment, args=(counter, ctl, times, c, count, rounds)) for c in range(PROCESSES)]
    for p in children:
        p.start()
    per_second, millis = [], []
    for r in range(rounds):
        ctl[GO] = r + 1
        while ctl[DONE] < PROCESSES * (r + 1):
            time.sleep(0.001)  # the parent waits off the CPU: the children have both cores
        expected = PROCESSES * count * (r + 1)
        mp4jbench.check(counter.value == expected, f"count {counter.value}, expected {expected}")
        first = min(times[slot(r, c)] for c in range(PROCESSES))
        last = max(times[slot(r, c) + 1] for c in range(PROCESSES))
        if r > 0:
            seconds = (last - first) / 1e9
            per_second.append(PROCESSES * count / seconds)
            millis.append(seconds * 1e3)
    for p in children:
        p.join()
        mp4jbench.check(p.exitcode == 0, f"a child exited with {p.exitcode}")
    out = mp4jbench.header("value_under_lock" if args.under_lock else "value_increment", args)
    out["processes"] = PROCESSES
    out["count"] = count
    mp4jbench.series(out, "increments", "per_s", per_second)
    mp4jbench.series(out, "time", "ms", millis)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
