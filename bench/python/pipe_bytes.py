"""1 MiB byte strings one way through a CPython Pipe.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/PipeBytesWorkload.java):
``ctx.Pipe(duplex=False)`` (the first end receives, the second sends); the parent sends, one child
process of ``--method``, started once, receives. Rounds 0 ... ``--n``, round 0 the warm-up, untimed.
Per round the parent ``send_bytes`` a 1 MiB ``bytes`` ``--count`` times (default 256); the child
``recv_bytes`` each, checks its length, and after the round's last records the time
(``time.monotonic_ns``, CLOCK_MONOTONIC, comparable across processes). The round's time: that - the
parent's time before its first send. Prints one JSON line: ``throughput_gb_per_s`` (count x 2^20
bytes / time / 10^9) and the time in ms.
"""
import time

import mp4jbench

MIB = 1 << 20


def receive(rx, ends, count, rounds):
    for r in range(rounds):
        for _ in range(count):
            b = rx.recv_bytes()
            mp4jbench.check(len(b) == MIB, f"a message of {len(b)} bytes")
        ends[r] = time.monotonic_ns()
    rx.close()


def main():
    args = mp4jbench.parse(__doc__, 5, {"--count": {"type": int, "default": 256}})
    ctx, count, rounds = args.ctx, args.count, args.n + 1
    payload = bytes(i % 256 for i in range(MIB))
    rx, tx = ctx.Pipe(duplex=False)
    ends = ctx.RawArray("q", rounds)
    child = ctx.Process(target=receive, args=(rx, ends, count, rounds))
    child.start()
    gb_per_second, millis = [], []
    for r in range(rounds):
        t0 = time.monotonic_ns()
        for _ in range(count):
            tx.send_bytes(payload)
        while ends[r] == 0:
            mp4jbench.check(child.is_alive() or ends[r] != 0, "the receiver exited early")
            time.sleep(0.00005)
        t1 = ends[r]
        if r > 0:
            seconds = (t1 - t0) / 1e9
            gb_per_second.append(count * MIB / seconds / 1e9)
            millis.append(seconds * 1e3)
    child.join()
    mp4jbench.check(child.exitcode == 0, f"the receiver exited with {child.exitcode}")
    tx.close()
    out = mp4jbench.header("pipe_bytes", args)
    out["count"] = count
    out["bytes"] = MIB
    mp4jbench.series(out, "throughput", "gb_per_s", gb_per_second)
    mp4jbench.series(out, "time", "ms", millis)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
