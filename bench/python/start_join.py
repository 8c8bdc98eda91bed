"""Process start+join, and start() -> the target's first line, with CPython's multiprocessing.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/StartJoinWorkload.java):

- one context, ``multiprocessing.get_context(--method)``: spawn, forkserver or fork;
- warm-up: one start+join of the empty target, untimed (it imports the start machinery, and for
  forkserver starts the fork server, as the Java side's warm-up boots its first spare);
- phase 1, start+join: ``--n`` times (default 9), an empty target; the time of ``p.start(); p.join()``;
- phase 2, start -> first line: ``--n`` times, ``t0 = time.monotonic_ns()`` just before ``p.start()``;
  the target's first line reads ``time.monotonic_ns()`` (CLOCK_MONOTONIC, as Java's
  ``System.nanoTime()`` on Linux) and writes it to a file in ``--dir``; after ``join()`` the parent
  reads it: first line = t1 - t0;
- phase 3, start -> first item taken: one queue (``ctx.Queue()``), made before the phase; ``--n``
  times, the parent puts ``i``, ``t0`` just before ``p.start()``, the target (given the queue) takes
  the item, checks it and stamps the time as in phase 2: first take = t1 - t0 (the first use of a
  child that is handed a queue: what it takes to read the queue and reach its first item);
- prints one JSON line: every time in ms, the medians, the method and the interpreter's default.

Module-level imports stay minimal: spawn and forkserver children re-import this file.
"""
import multiprocessing
import os
import time


def empty():
    pass


def stamp(path):
    t = time.monotonic_ns()
    with open(path, "w") as f:
        f.write(str(t))


def take_stamp(q, expected, path):
    item = q.get()
    t = time.monotonic_ns()
    if item != expected:
        raise SystemExit(f"took {item}, expected {expected}")
    with open(path, "w") as f:
        f.write(str(t))


def median(values):
    s = sorted(values)
    k = len(s)
    return s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) / 2


def main():
    import argparse
    import json
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=["spawn", "forkserver", "fork"], default="spawn")
    parser.add_argument("--n", type=int, default=9)
    parser.add_argument("--dir", default=None, help="where the first-line and first-take stamps are written")
    args = parser.parse_args()
    directory = args.dir or tempfile.mkdtemp(prefix="mp4j-bench-py-")
    os.makedirs(directory, exist_ok=True)
    ctx = multiprocessing.get_context(args.method)

    warm = ctx.Process(target=empty)
    warm.start()
    warm.join()

    start_join = []
    for _ in range(args.n):
        t0 = time.monotonic_ns()
        p = ctx.Process(target=empty)
        p.start()
        p.join()
        start_join.append((time.monotonic_ns() - t0) / 1e6)
        if p.exitcode != 0:
            raise SystemExit(f"child exited with {p.exitcode}")

    first_line = []
    for i in range(args.n):
        path = os.path.join(directory, f"py-{os.getpid()}-{i}.stamp")
        p = ctx.Process(target=stamp, args=(path,))
        t0 = time.monotonic_ns()
        p.start()
        p.join()
        with open(path) as f:
            t1 = int(f.read())
        os.remove(path)
        first_line.append((t1 - t0) / 1e6)

    q = ctx.Queue()
    first_take = []
    for i in range(args.n):
        path = os.path.join(directory, f"py-{os.getpid()}-take-{i}.stamp")
        q.put(i)
        p = ctx.Process(target=take_stamp, args=(q, i, path))
        t0 = time.monotonic_ns()
        p.start()
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"child exited with {p.exitcode}")
        with open(path) as f:
            t1 = int(f.read())
        os.remove(path)
        first_take.append((t1 - t0) / 1e6)
    q.close()

    print(json.dumps({
        "workload": "start_join",
        "side": "cpython",
        "variant": args.method,
        "default_method": multiprocessing.get_start_method(),
        "n": args.n,
        "start_join_ms": start_join,
        "start_join_median_ms": median(start_join),
        "first_line_ms": first_line,
        "first_line_median_ms": median(first_line),
        "first_take_ms": first_take,
        "first_take_median_ms": median(first_take),
    }), flush=True)


if __name__ == "__main__":
    main()
