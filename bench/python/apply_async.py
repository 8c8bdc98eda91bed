"""Trivial tasks one by one, with CPython's Pool.apply_async.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ApplyAsyncWorkload.java):
``Pool(2)`` of ``--method`` (default: the interpreter's); one run = 5,000 ``apply_async(one)``, then
every ``get()`` summed (must be 5,000); warm-up, one run, untimed; then ``--n`` (default 5) timed runs
on the same pool. Prints one JSON line: ``tasks_per_s`` (5,000 / the run's seconds) and its median.
"""
import mp4jbench

TASKS = 5_000


def one():
    return 1


def run(pool, count):
    results = [pool.apply_async(one) for _ in range(count)]
    total = sum(r.get() for r in results)
    mp4jbench.check(total == count, f"sum {total} of {count} ones")


if __name__ == "__main__":
    mp4jbench.throughput("apply_async", "tasks", TASKS, mp4jbench.parse(__doc__, 5), mp4jbench.pool, run)
