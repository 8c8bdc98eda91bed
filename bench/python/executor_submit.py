"""Trivial tasks one by one, with concurrent.futures.ProcessPoolExecutor.submit.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ExecutorSubmitWorkload.java):
``ProcessPoolExecutor(max_workers=2, mp_context=<--method>)`` (default: the interpreter's); one run =
5,000 ``submit(one)``, then every ``result()`` summed (must be 5,000); warm-up, one run, untimed; then
``--n`` (default 5) timed runs on the same executor. Prints one JSON line: ``tasks_per_s`` and its
median.
"""
import mp4jbench

TASKS = 5_000


def one():
    return 1


def run(executor, count):
    futures = [executor.submit(one) for _ in range(count)]
    total = sum(f.result() for f in futures)
    mp4jbench.check(total == count, f"sum {total} of {count} ones")


if __name__ == "__main__":
    mp4jbench.throughput("executor_submit", "tasks", TASKS, mp4jbench.parse(__doc__, 5), mp4jbench.executor, run)
