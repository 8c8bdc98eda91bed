"""Ordered lazy mapping, one item per task, with CPython's Pool.imap(fn, items, 1).

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ImapWorkload.java):
``Pool(2)`` of ``--method`` (default: the interpreter's); the list ``0 .. 19,999`` built before
timing; one run = ``imap(double, items, 1)`` iterated to the end, each result checked against 2 x its
index; warm-up, one run, untimed; then ``--n`` (default 5) timed runs on the same pool. Prints one
JSON line: ``items_per_s`` and its median.
"""
import mp4jbench

ITEMS = 20_000


def double(x):
    return x * 2


def run(pool, count, items=list(range(ITEMS))):
    i = 0
    for r in pool.imap(double, items, 1):
        mp4jbench.check(r == 2 * i, f"item {i} gave {r}")
        i += 1
    mp4jbench.check(i == count, f"{i} results of {count}")


if __name__ == "__main__":
    mp4jbench.throughput("imap", "items", ITEMS, mp4jbench.parse(__doc__, 5), mp4jbench.pool, run)
