"""Round trips to a manager's dict: d[key] = i, then d[key], through multiprocessing.Manager().

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ManagerDictWorkload.java):
``Manager()`` of the chosen context started (untimed); ``d = manager.dict()``; one run = 2,500 times
``d['k'] = i`` then ``d['k']`` (5,000 round trips, each checked, the message built only on a mismatch);
warm-up, one run, untimed; then ``--n`` (default 5) timed runs. Prints one JSON line:
``round_trips_per_s`` and its median.
"""
import time

import mp4jbench

PAIRS = 2_500


def run(d, pairs):
    for i in range(pairs):
        d["k"] = i
        if d["k"] != i:  # the message is built only on a mismatch, here as in the Java side
            mp4jbench.check(False, f"d['k'] == {i}")


if __name__ == "__main__":
    args = mp4jbench.parse(__doc__, 5)
    out = mp4jbench.header("manager_dict", args)
    out["count"] = 2 * PAIRS
    per_second, millis = [], []
    with args.ctx.Manager() as manager:
        d = manager.dict()
        run(d, PAIRS)
        for _ in range(args.n):
            t0 = time.perf_counter_ns()
            run(d, PAIRS)
            t = time.perf_counter_ns() - t0
            millis.append(t / 1e6)
            per_second.append(2 * PAIRS / (t / 1e9))
    mp4jbench.series(out, "round_trips", "per_s", per_second)
    mp4jbench.series(out, "time", "ms", millis)
    mp4jbench.emit(out)
