"""Pure-CPU work spread over two workers, with CPython's Pool.map(fn, items, 1), items of a given duration.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/CpuSpeedupWorkload.java):
the task is ``count_primes(bound)`` (trial division by every d with d * d <= k), the same algorithm
on both sides; ``--items`` items (16 coarse, 64 fine), each of ``--item-ms`` (100 coarse, 5 fine) on
this side: the bound is calibrated here, in the run (``calibrate``: one item timed alone, the bound
scaled by (target / time) ** (2 / 3), the cost growing as bound ** 1.5, six times, the last bound
kept), so that both sides run items of the same duration whatever each language's speed. Warm-up,
untimed: whole rounds as below, serial and parallel, until at least ``--warm-up-ms`` has passed
(default 1,000; the fine row 6,000, quick 3,000), at least one (a JVM's compilers need it; the same
rule on both sides), with the calibration run before and after it. Then ``--n`` (default 3) times: serial, every item in this process, one after
the other; parallel, ``map(count_primes, items, 1)`` on the same ``Pool(2)``; speed-up = serial /
parallel (ideal: 2). Prints one JSON line: ``speedup_x`` and its median, both times in ms, the ideal
parallel time (serial / 2), the bound and one item's calibrated time.
"""
import time

import mp4jbench

WARM_UP_MS = 1000.0
CALIBRATION_STEPS = 6


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


def calibrate(item_ms, bound=20_000):
    """The bound whose count_primes takes about item_ms here, and that time in ms."""
    took_ms = 0.0
    for _ in range(CALIBRATION_STEPS):
        t0 = time.perf_counter_ns()
        count_primes(bound)
        took_ms = (time.perf_counter_ns() - t0) / 1e6
        bound = max(1_000, int(bound * (item_ms / took_ms) ** (2 / 3)))
    t0 = time.perf_counter_ns()
    count_primes(bound)
    return bound, (time.perf_counter_ns() - t0) / 1e6


def one_round(pool, items, expected):
    """One round, checked: (serial ns, parallel ns); the warm-up and the timed rounds both run it."""
    t0 = time.perf_counter_ns()
    counts = [count_primes(b) for b in items]
    t1 = time.perf_counter_ns()
    for c in counts:
        mp4jbench.check(c == expected, f"count_primes({items[0]}) gave {c}, not {expected}")
    t2 = time.perf_counter_ns()
    pooled = pool.map(count_primes, items, 1)
    t3 = time.perf_counter_ns()
    for c in pooled:
        mp4jbench.check(c == expected, f"count_primes({items[0]}) gave {c}, not {expected}")
    return t1 - t0, t3 - t2


def main():
    args = mp4jbench.parse(__doc__, 3, {"--items": {"type": int, "default": 16},
                                        "--item-ms": {"type": float, "default": 100.0}})
    bound, _ = calibrate(args.item_ms)
    expected = count_primes(bound)
    items = [bound] * args.items
    serial, parallel, speedup = [], [], []
    with args.ctx.Pool(mp4jbench.PROCESSES) as pool:
        warm_up_end = time.perf_counter() + (args.warm_up_ms or WARM_UP_MS) / 1000
        while True:
            one_round(pool, items, expected)
            if time.perf_counter() >= warm_up_end:
                break
        bound, item_ms = calibrate(args.item_ms, bound)
        expected = count_primes(bound)
        items = [bound] * args.items
        for _ in range(args.n):
            serial_ns, parallel_ns = one_round(pool, items, expected)
            serial.append(serial_ns / 1e6)
            parallel.append(parallel_ns / 1e6)
            speedup.append(serial_ns / parallel_ns)
    out = mp4jbench.header("cpu_speedup", args)
    out["processes"] = mp4jbench.PROCESSES
    out["items"] = len(items)
    out["bound"] = bound
    out["item_ms"] = item_ms
    mp4jbench.series(out, "speedup", "x", speedup)
    mp4jbench.series(out, "serial", "ms", serial)
    mp4jbench.series(out, "parallel", "ms", parallel)
    mp4jbench.series(out, "ideal", "ms", [s / mp4jbench.PROCESSES for s in serial])
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
