"""Round trips through a duplex CPython Pipe to a child that echoes.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/PipeRoundTripWorkload.java):
``ctx.Pipe(duplex=True)``; one child process of ``--method``, started once, echoes every object it
receives (``send(recv())``) until it receives -1. Runs 0 ... ``--n``, run 0 the warm-up, untimed; each
run is ``--count`` (default 2,000) round trips of the int i: ``send(i)``, ``recv()``, checked equal,
each timed alone (``time.perf_counter_ns``). Prints one JSON line: ``round_trip_us``, per run the
median round trip in microseconds.
"""
import time

import mp4jbench

END = -1


def echo(c):
    while True:
        m = c.recv()
        if m == END:
            break
        c.send(m)
    c.close()


def main():
    args = mp4jbench.parse(__doc__, 5, {"--count": {"type": int, "default": 2_000}})
    ctx, count = args.ctx, args.count
    c, child_end = ctx.Pipe(duplex=True)
    child = ctx.Process(target=echo, args=(child_end,))
    child.start()
    medians = []
    for r in range(args.n + 1):
        micros = []
        for i in range(count):
            t0 = time.perf_counter_ns()
            c.send(i)
            back = c.recv()
            t = time.perf_counter_ns() - t0
            mp4jbench.check(back == i, f"echo {back}, expected {i}")
            micros.append(t / 1e3)
        if r > 0:
            medians.append(mp4jbench.median(micros))
    c.send(END)
    child.join()
    mp4jbench.check(child.exitcode == 0, f"the child exited with {child.exitcode}")
    c.close()
    out = mp4jbench.header("pipe_round_trip", args)
    out["count"] = count
    mp4jbench.series(out, "round_trip", "us", medians)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
