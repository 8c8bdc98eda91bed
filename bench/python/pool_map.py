"""Bulk mapping with the default chunks, with CPython's Pool.map(fn, items).

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/MapWorkload.java):
``Pool(2)`` of ``--method`` (default: the interpreter's); the list ``0 .. 199,999`` built before
timing; one run = ``map(double, items)`` (chunks of ceil(200,000 / (4 x 2)) = 25,000), the result
list checked; warm-up, one run, untimed; then ``--n`` (default 9) timed runs on the same pool. Prints
one JSON line: ``items_per_s`` and its median.
"""
import mp4jbench

ITEMS = 200_000


def double(x):
    return x * 2


def run(pool, count, items=list(range(ITEMS))):
    results = pool.map(double, items)
    check_doubled(results, count)


def check_doubled(results, count):
    mp4jbench.check(len(results) == count, f"{len(results)} results of {count}")
    mp4jbench.check(results == [2 * i for i in range(count)], "a result is not 2 x its item")


if __name__ == "__main__":
    mp4jbench.throughput("map", "items", ITEMS, mp4jbench.parse(__doc__, 9), mp4jbench.pool, run)
