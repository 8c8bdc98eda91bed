"""What the pool scripts share with each other and with their Java sides (WorkloadMain.java).

- options: ``--method`` (spawn, forkserver, fork; default: the interpreter's), ``--n`` (timed
  repetitions in this one process), ``--dir`` (unused by the pool scripts), the script's own;
- the result line: one JSON object, ``<metric>_<unit>`` (every repetition) and
  ``<metric>_median_<unit>`` (their median) with unit ``ms``, ``per_s`` or ``x``;
- the throughput shape: ``Pool(2)`` (or an executor) of the chosen context; warm-up, the run once,
  untimed; then ``--n`` timed runs on the same pool; ``count / seconds`` per run.

Module-level imports stay minimal: spawn and forkserver children re-import the scripts, and this.
"""
import multiprocessing
import time

PROCESSES = 2


def parse(doc, default_n, extra=None):
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--method", choices=["spawn", "forkserver", "fork"], default=None)
    parser.add_argument("--n", type=int, default=default_n)
    parser.add_argument("--dir", default=None)
    # The Java side's --threads virtual runs its blocking calls on virtual threads; CPython has OS
    # threads only, so a row beside ours on virtual threads runs the same script the same way.
    parser.add_argument("--threads", choices=["platform", "virtual"], default="platform")
    # The steady-state rows: untimed runs until this many ms have passed (the Java side's JIT done).
    parser.add_argument("--warm-up-ms", type=int, default=0)
    for name, kwargs in (extra or {}).items():
        parser.add_argument(name, **kwargs)
    args = parser.parse_args()
    if args.n < 1:
        parser.error(f"--n must be >= 1, was {args.n}")
    args.default_method = multiprocessing.get_start_method()
    args.method = args.method or args.default_method
    args.ctx = multiprocessing.get_context(args.method)
    return args


def median(values):
    s = sorted(values)
    k = len(s)
    return s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) / 2


def header(workload, args):
    return {
        "workload": workload,
        "side": "cpython",
        "variant": args.method,
        "default_method": args.default_method,
        "n": args.n,
    }


def series(out, metric, unit, values):
    out[f"{metric}_{unit}"] = values
    out[f"{metric}_median_{unit}"] = median(values)


def emit(out):
    import json

    print(json.dumps(out), flush=True)


def check(ok, what):
    if not ok:
        raise SystemExit(f"wrong result: {what}")


def throughput(workload, metric, count, args, make_pool, run):
    """``make_pool(ctx)`` gives a context manager; ``run(pool, count)`` checks its own results."""
    out = header(workload, args)
    out["processes"] = PROCESSES
    out["count"] = count
    per_second, millis = [], []
    with make_pool(args.ctx) as pool:
        warm_up_end = time.perf_counter_ns() + args.warm_up_ms * 1_000_000
        warm_ups = 0
        while True:
            run(pool, count)
            warm_ups += 1
            if time.perf_counter_ns() >= warm_up_end:
                break
        out["warm_up_runs"] = warm_ups
        for _ in range(args.n):
            t0 = time.perf_counter_ns()
            run(pool, count)
            t = time.perf_counter_ns() - t0
            millis.append(t / 1e6)
            per_second.append(count / (t / 1e9))
    series(out, metric, "per_s", per_second)
    series(out, "time", "ms", millis)
    emit(out)


def pool(ctx):
    return ctx.Pool(PROCESSES)


def executor(ctx):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=PROCESSES, mp_context=ctx)
