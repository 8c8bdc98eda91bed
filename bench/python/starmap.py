"""Tasks of two arguments in chunks, with CPython's Pool.starmap(f, pairs).

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/StarmapWorkload.java):
``Pool(2)`` of ``--method`` (default: the interpreter's); the pairs ``(k, 3)`` for k = 0 .. 199,999
built before timing; one run = ``starmap(mul, pairs)`` with the default chunks (25,000), each result
checked against 3 x its index; warm-up, one run, untimed; then ``--n`` (default 9) timed runs on the
same pool. Prints one JSON line: ``items_per_s`` and its median.
"""
import mp4jbench

ITEMS = 200_000


def mul(a, b):
    return a * b


def run(pool, count, pairs=[(k, 3) for k in range(ITEMS)]):
    results = pool.starmap(mul, pairs)
    mp4jbench.check(len(results) == count, f"{len(results)} results of {count}")
    for i, r in enumerate(results):
        if r != 3 * i:
            mp4jbench.check(False, f"item {i} gave {r}")


if __name__ == "__main__":
    mp4jbench.throughput("starmap", "items", ITEMS, mp4jbench.parse(__doc__, 9), mp4jbench.pool, run)
