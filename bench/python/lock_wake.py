"""How soon a waiter in another process gets a CPython multiprocessing Lock after it is released.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/LockWakeWorkload.java):
a lock ``lock`` (``ctx.Lock()``) and three events ``turn``, ``ready``, ``done``; one child process of
``--method``, started once. Runs 0 ... ``--n``, run 0 the warm-up, untimed; each run ``--count``
(default 1,000) hand-overs. The parent, per hand-over: ``lock.acquire()``, ``turn.set()``,
``ready.wait()``, ``ready.clear()``, sleeps 200 us (so the child is asleep in ``acquire``), records the
time, ``lock.release()``, ``done.wait()``, ``done.clear()``. The child, per hand-over: ``turn.wait()``,
``turn.clear()``, ``ready.set()``, ``lock.acquire()``, records the time it got the lock
(``time.monotonic_ns``, CLOCK_MONOTONIC, comparable across processes) in a shared array,
``lock.release()``, ``done.set()``. Latency = got - released. ``--threads`` (the Java side's platform
or virtual threads) changes nothing here: CPython has OS threads only. Prints one JSON line:
``wake_us``, per run the median latency in microseconds.
"""
import time

import mp4jbench

SETTLE_S = 0.0002


def waiter(lock, turn, ready, done, got, total):
    for k in range(total):
        turn.wait()
        turn.clear()
        ready.set()
        lock.acquire()
        got[k] = time.monotonic_ns()
        lock.release()
        done.set()


def main():
    args = mp4jbench.parse(__doc__, 5, {"--count": {"type": int, "default": 1_000}})
    ctx, count = args.ctx, args.count
    total = (args.n + 1) * count
    released_at = [0] * total
    lock = ctx.Lock()
    turn, ready, done = ctx.Event(), ctx.Event(), ctx.Event()
    got = ctx.RawArray("q", total)
    child = ctx.Process(target=waiter, args=(lock, turn, ready, done, got, total))
    child.start()
    for k in range(total):
        lock.acquire()
        turn.set()
        ready.wait()
        ready.clear()
        time.sleep(SETTLE_S)
        released_at[k] = time.monotonic_ns()
        lock.release()
        done.wait()
        done.clear()
    child.join()
    mp4jbench.check(child.exitcode == 0, f"the child exited with {child.exitcode}")
    medians = []
    for r in range(1, args.n + 1):
        micros = []
        for i in range(r * count, (r + 1) * count):
            latency = got[i] - released_at[i]
            mp4jbench.check(latency > 0, f"got the lock before its release at {i}")
            micros.append(latency / 1e3)
        medians.append(mp4jbench.median(micros))
    out = mp4jbench.header("lock_wake", args)
    out["count"] = count
    mp4jbench.series(out, "wake", "us", medians)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
