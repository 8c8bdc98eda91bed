"""Bulk mapping in chunks of 1,000, with concurrent.futures.ProcessPoolExecutor.map.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ExecutorMapWorkload.java):
``ProcessPoolExecutor(max_workers=2, mp_context=<--method>)`` (default: the interpreter's); the list
``0 .. 199,999`` built before timing; one run = ``list(map(double, items, chunksize=1000))``, the
result list checked; warm-up, one run, untimed; then ``--n`` (default 9) timed runs on the same
executor. Prints one JSON line: ``items_per_s`` and its median.
"""
import mp4jbench

ITEMS = 200_000
CHUNKSIZE = 1_000


def double(x):
    return x * 2


def run(executor, count, items=list(range(ITEMS))):
    results = list(executor.map(double, items, chunksize=CHUNKSIZE))
    mp4jbench.check(len(results) == count, f"{len(results)} results of {count}")
    mp4jbench.check(results == [2 * i for i in range(count)], "a result is not 2 x its item")


if __name__ == "__main__":
    mp4jbench.throughput("executor_map", "items", ITEMS, mp4jbench.parse(__doc__, 9), mp4jbench.executor, run)
