"""Pool creation up to its first result, with CPython's multiprocessing.Pool.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/PoolCreateWorkload.java):

- one context, ``multiprocessing.get_context(--method)``: spawn, forkserver or fork;
- warm-up: one ``Pool(2)`` + ``apply(one)`` + ``close(); join()``, untimed (imports the pool
  machinery; for forkserver, starts the fork server);
- ``--n`` times (default 7): t0, ``ctx.Pool(2)``, ``apply(one)`` returns 1, t1; then ``close();
  join()``, untimed;
- prints one JSON line: ``create_first_ms`` and its median, the method and the interpreter's default.
"""
import time

import mp4jbench


def one():
    return 1


def create_and_apply(ctx):
    t0 = time.perf_counter_ns()
    pool = ctx.Pool(mp4jbench.PROCESSES)
    try:
        r = pool.apply(one)
        t1 = time.perf_counter_ns()
        mp4jbench.check(r == 1, f"apply(one) gave {r}")
        return (t1 - t0) / 1e6
    finally:
        pool.close()
        pool.join()


def main():
    args = mp4jbench.parse(__doc__, 7)
    create_and_apply(args.ctx)
    times = [create_and_apply(args.ctx) for _ in range(args.n)]
    out = mp4jbench.header("pool_create", args)
    out["processes"] = mp4jbench.PROCESSES
    mp4jbench.series(out, "create_first", "ms", times)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
