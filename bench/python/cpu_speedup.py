"""Pure-CPU work spread over two workers, with CPython's Pool.map(fn, items, 1).

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/CpuSpeedupWorkload.java):
the task is ``count_primes(100_000)`` (trial division by every d with d * d <= k; 9,592 primes), the
same algorithm and bound on both sides; ``2 x --per-worker`` items (default 2 x 8). Warm-up, untimed:
whole rounds as below, serial and parallel, until at least ``WARM_UP_S`` (1 s) has passed, at least
one (a JVM's compilers need it: one round there is ~0.13 s; here one round takes seconds, so it is
one, as before; the same rule on both sides). Then ``--n`` (default 3)
times: serial, every item in this process, one after the other; parallel, ``map(count_primes, items,
1)`` on the same ``Pool(2)``; speed-up = serial / parallel. Prints one JSON line: ``speedup_x`` and
its median, and both times in ms.
"""
import time

import mp4jbench

BOUND = 100_000
PRIMES_BELOW_BOUND = 9_592
WARM_UP_S = 1.0


def count_primes(bound):
    count = 0
    for k in range(2, bound):
        prime = True
        d = 2
        while d * d <= k:
            if k % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


def check(counts):
    for c in counts:
        mp4jbench.check(c == PRIMES_BELOW_BOUND, f"count_primes({BOUND}) gave {c}")


def one_round(pool, items):
    """One round, checked: (serial ns, parallel ns); the warm-up and the timed rounds both run it."""
    t0 = time.perf_counter_ns()
    counts = [count_primes(b) for b in items]
    t1 = time.perf_counter_ns()
    check(counts)
    t2 = time.perf_counter_ns()
    pooled = pool.map(count_primes, items, 1)
    t3 = time.perf_counter_ns()
    check(pooled)
    return t1 - t0, t3 - t2


def main():
    args = mp4jbench.parse(__doc__, 3, {"--per-worker": {"type": int, "default": 8}})
    items = [BOUND] * (mp4jbench.PROCESSES * args.per_worker)
    serial, parallel, speedup = [], [], []
    with args.ctx.Pool(mp4jbench.PROCESSES) as pool:
        warm_up_end = time.perf_counter() + WARM_UP_S
        while True:
            one_round(pool, items)
            if time.perf_counter() >= warm_up_end:
                break
        for _ in range(args.n):
            serial_ns, parallel_ns = one_round(pool, items)
            serial.append(serial_ns / 1e6)
            parallel.append(parallel_ns / 1e6)
            speedup.append(serial_ns / parallel_ns)
    out = mp4jbench.header("cpu_speedup", args)
    out["processes"] = mp4jbench.PROCESSES
    out["items"] = len(items)
    out["bound"] = BOUND
    mp4jbench.series(out, "speedup", "x", speedup)
    mp4jbench.series(out, "serial", "ms", serial)
    mp4jbench.series(out, "parallel", "ms", parallel)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
