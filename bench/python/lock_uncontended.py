"""Uncontended acquire/release of CPython's multiprocessing Lock in one process.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/LockUncontendedWorkload.java):
``ctx.Lock()`` of ``--method``, in the one (parent) process, no other; runs 0 ... ``--n``, run 0 the
warm-up, untimed; each run ``--count`` (default 2,000,000) times ``acquire()``, ``release()`` -- Java:
``lock()``, ``unlock()`` of ``ctx.lock()``. Prints one JSON line: ``acquires_per_s`` (count / the
run's time) and the time in ms.
"""
import time

import mp4jbench


def main():
    args = mp4jbench.parse(__doc__, 5, {"--count": {"type": int, "default": 2_000_000}})
    count = args.count
    lock = args.ctx.Lock()
    acquire, release = lock.acquire, lock.release
    per_second, millis = [], []
    for r in range(args.n + 1):
        t0 = time.perf_counter_ns()
        for _ in range(count):
            acquire()
            release()
        t = time.perf_counter_ns() - t0
        if r > 0:
            per_second.append(count / (t / 1e9))
            millis.append(t / 1e6)
    mp4jbench.check(lock.acquire(False), "the lock is free after the runs")
    lock.release()
    out = mp4jbench.header("lock_uncontended", args)
    out["count"] = count
    mp4jbench.series(out, "acquires", "per_s", per_second)
    mp4jbench.series(out, "time", "ms", millis)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
