"""Tasks that carry their argument, one by one, with CPython's Pool.apply_async(f, (k,)).

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ApplyAsyncArgsWorkload.java):
``Pool(2)`` of ``--method`` (default: the interpreter's); one run = 5,000 ``apply_async(double, (k,))``
for k = 0 .. 4,999, then every ``get()`` summed (must be 2 x the sum of the ks); warm-up, one run,
untimed; then ``--n`` (default 5) timed runs on the same pool. Prints one JSON line: ``tasks_per_s``
(5,000 / the run's seconds) and its median.
"""
import mp4jbench

TASKS = 5_000


def double(k):
    return k * 2


def run(pool, count):
    results = [pool.apply_async(double, (k,)) for k in range(count)]
    total = sum(r.get() for r in results)
    mp4jbench.check(total == count * (count - 1), f"sum {total} of {count} doubled ks")


if __name__ == "__main__":
    mp4jbench.throughput("apply_async_args", "tasks", TASKS, mp4jbench.parse(__doc__, 5), mp4jbench.pool, run)
