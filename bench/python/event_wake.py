"""How soon a waiter in another process wakes after a CPython multiprocessing Event is set.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/EventWakeWorkload.java):
two events, ``go`` and ``ready`` (``ctx.Event()``); one child process of ``--method``, started once.
Runs 0 ... ``--n``, run 0 the warm-up, untimed; each run ``--count`` (default 1,000) wakes. The child,
per wake: ``ready.set()`` (first time) then ``go.wait()``, records the time it woke
(``time.monotonic_ns``, CLOCK_MONOTONIC, comparable across processes) in a shared array,
``go.clear()``, ``ready.set()``. The parent, per wake: ``ready.wait()``, ``ready.clear()``, sleeps
200 us (so the child is asleep in ``wait``), records the time, ``go.set()``. Latency = woke - set.
``--threads`` (the Java side's platform or virtual
threads) changes nothing here: CPython has OS threads only. Prints one JSON line: ``wake_us``, per run the median latency in microseconds.
"""
import time

import mp4jbench

SETTLE_S = 0.0002


def waiter(go, ready, woke, total):
    ready.set()
    for k in range(total):
        go.wait()
        woke[k] = time.monotonic_ns()
        go.clear()
        ready.set()


def main():
    args = mp4jbench.parse(__doc__, 5, {"--count": {"type": int, "default": 1_000}})
    ctx, count = args.ctx, args.count
    total = (args.n + 1) * count
    set_at = [0] * total
    go, ready = ctx.Event(), ctx.Event()
    woke = ctx.RawArray("q", total)
    child = ctx.Process(target=waiter, args=(go, ready, woke, total))
    child.start()
    for k in range(total):
        ready.wait()
        ready.clear()
        time.sleep(SETTLE_S)
        set_at[k] = time.monotonic_ns()
        go.set()
    ready.wait()
    child.join()
    mp4jbench.check(child.exitcode == 0, f"the child exited with {child.exitcode}")
    medians = []
    for r in range(1, args.n + 1):
        micros = []
        for i in range(r * count, (r + 1) * count):
            latency = woke[i] - set_at[i]
            mp4jbench.check(latency > 0, f"woke before set at {i}")
            micros.append(latency / 1e3)
        medians.append(mp4jbench.median(micros))
    out = mp4jbench.header("event_wake", args)
    out["count"] = count
    mp4jbench.series(out, "wake", "us", medians)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
