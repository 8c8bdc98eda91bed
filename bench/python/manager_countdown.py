"""The seeds' count-down: {'count': 100} taken down by 100 processes under a manager's lock, end to end.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/ManagerCountdownWorkload.java):
one run = ``Manager()`` of the chosen context started, ``d = manager.dict({'count': 100})``,
``lock = manager.Lock()``, 100 ``Process(target=work, args=(d, lock))`` started, then all joined, each
doing ``with lock: d['count'] -= 1``; the count checked to be 0; the manager shut down. Timed from
before ``Manager()`` to after its shutdown; ``--n`` (default 3) runs in this one process. Prints one
JSON line: ``countdown_ms`` and its median.
"""
import time

import mp4jbench

PROCESSES = 100


def work(d, lock):
    with lock:
        d["count"] -= 1


def run(ctx):
    with ctx.Manager() as manager:
        d = manager.dict({"count": PROCESSES})
        lock = manager.Lock()
        ps = [ctx.Process(target=work, args=(d, lock)) for _ in range(PROCESSES)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        mp4jbench.check(d["count"] == 0, f"count {d['count']}, not 0")


if __name__ == "__main__":
    args = mp4jbench.parse(__doc__, 3)
    out = mp4jbench.header("manager_countdown", args)
    out["processes"] = PROCESSES
    millis = []
    for _ in range(args.n):
        t0 = time.perf_counter_ns()
        run(args.ctx)
        millis.append((time.perf_counter_ns() - t0) / 1e6)
    mp4jbench.series(out, "countdown", "ms", millis)
    mp4jbench.emit(out)
