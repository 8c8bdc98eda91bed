"""A child summing a big shared array, with CPython's shared_memory.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ArraySumWorkload.java): the
parent makes a ``shared_memory.SharedMemory`` of ``--mib`` MiB (default 256) viewed as 64-bit
integers (``buf.cast('q')``), element i = i, filled untimed. One child process of ``--method``
attaches it by name and sums every element: once untimed (warm-up), then ``--n`` timed sums, each
checked against count * (count - 1) / 2. The loop is the built-in ``sum()`` over the memoryview: the
fastest loop CPython has without NumPy (a ``for`` loop with ``+=`` is several times slower), so the
stricter baseline. The child writes each sum's time into a small shared array; prints one JSON line
with ``sum_ms`` per sum.
"""
import time
from array import array
from multiprocessing import shared_memory

import mp4jbench


def sum_repeatedly(name, count, times, n):
    shm = shared_memory.SharedMemory(name=name)
    try:
        values = shm.buf.cast("q")
        expected = count * (count - 1) // 2
        mp4jbench.check(sum(values) == expected, "warm-up sum")
        for k in range(n):
            t0 = time.perf_counter_ns()
            s = sum(values)
            t = time.perf_counter_ns() - t0
            mp4jbench.check(s == expected, f"sum {s}, expected {expected}")
            times[k] = t / 1e6
        values.release()
    finally:
        shm.close()


def main():
    args = mp4jbench.parse(__doc__, 3, {"--mib": {"type": int, "default": 256}})
    count = args.mib * (1024 * 1024 // 8)
    shm = shared_memory.SharedMemory(create=True, size=count * 8)
    try:
        values = shm.buf.cast("q")
        values[:] = array("q", range(count))
        values.release()
        times = args.ctx.RawArray("d", args.n)
        child = args.ctx.Process(target=sum_repeatedly, args=(shm.name, count, times, args.n))
        child.start()
        child.join()
        mp4jbench.check(child.exitcode == 0, f"the child exited with {child.exitcode}")
        millis = list(times)
    finally:
        shm.close()
        shm.unlink()
    out = mp4jbench.header("array_sum", args)
    out["mib"] = args.mib
    out["count"] = count
    mp4jbench.series(out, "sum", "ms", millis)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
