"""One producer process to one consumer process through CPython's multiprocessing Queue.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/QueueWorkload.java):
``ctx.Queue()`` (with ``--joinable``, ``ctx.JoinableQueue()``), unbounded; the parent is the
producer, one child process of ``--method``, started once, the consumer; rounds 0 ... ``--n``, round 0
the warm-up, untimed. Per round the parent ``put``s ``--count`` items (default 200,000): ``--item int``
the ints 0 ... count-1, ``--item kib`` a 1 KiB ``bytes``; the consumer ``get``s them and checks each
(the int in order; the length). Without ``--joinable`` the consumer records the time after its last
get (``time.monotonic_ns``, CLOCK_MONOTONIC, comparable across processes) and the round's time is
that - the parent's time before its first put; with ``--joinable`` the consumer calls ``task_done()``
per item and the round's time is the parent's first put -> its ``join()`` returning. ``--threads`` (the Java side's platform or virtual
threads) changes nothing here: CPython has OS threads only. Prints one JSON
line: ``items_per_s`` (count / time) and the time in ms.
"""
import time

import mp4jbench

KIB = 1024


def consume(q, ends, count, rounds, kib, joinable):
    for r in range(rounds):
        for i in range(count):
            o = q.get()
            # the message is built only on a mismatch, here as in the Java side
            if (len(o) != KIB) if kib else (o != i):
                mp4jbench.check(False, "not 1 KiB" if kib else f"item {o}, expected {i}")
            if joinable:
                q.task_done()
        ends[r] = time.monotonic_ns()


def main():
    args = mp4jbench.parse(__doc__, 5, {
        "--count": {"type": int, "default": 200_000},
        "--item": {"choices": ["int", "kib"], "default": "int"},
        "--joinable": {"action": "store_true"},
    })
    ctx, count, rounds, kib, joinable = args.ctx, args.count, args.n + 1, args.item == "kib", args.joinable
    payload = bytes(i % 256 for i in range(KIB))
    q = ctx.JoinableQueue() if joinable else ctx.Queue()
    ends = ctx.RawArray("q", rounds)
    child = ctx.Process(target=consume, args=(q, ends, count, rounds, kib, joinable))
    child.start()
    per_second, millis = [], []
    for r in range(rounds):
        t0 = time.monotonic_ns()
        for i in range(count):
            q.put(payload if kib else i)
        if joinable:
            q.join()
            t1 = time.monotonic_ns()
        else:
            while ends[r] == 0:
                mp4jbench.check(child.is_alive() or ends[r] != 0, "the consumer exited early")
                time.sleep(0.00005)  # off the CPU: the consumer needs it
            t1 = ends[r]
        if r > 0:
            seconds = (t1 - t0) / 1e9
            per_second.append(count / seconds)
            millis.append(seconds * 1e3)
    child.join()
    mp4jbench.check(child.exitcode == 0, f"the consumer exited with {child.exitcode}")
    out = mp4jbench.header("joinable_queue" if joinable else "queue_" + args.item, args)
    out["count"] = count
    out["item"] = args.item
    out["joinable"] = joinable
    mp4jbench.series(out, "items", "per_s", per_second)
    mp4jbench.series(out, "time", "ms", millis)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
