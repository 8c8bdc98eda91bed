"""Four producer processes to four consumer processes through one CPython multiprocessing Queue.

Shape (keep in step with bench/src/main/java/org/multiprocessing4j/bench/QueueMpmcWorkload.java):
``ctx.Queue()``, unbounded; ``--producers`` (4) and ``--consumers`` (4) child processes of
``--method``, started once; rounds 0 ... ``--n``, round 0 the warm-up, untimed. Per round the parent,
the producers and the consumers meet at a barrier; then producer p records its start (``time.monotonic_ns``,
CLOCK_MONOTONIC, comparable across processes) and puts the ints p, p + P, p + 2P ... (``--count``
÷ P of them; ``--count`` default 200,000); each consumer gets ``--count`` ÷ C items, checks each (an
int below count whose producer's items arrive in order), and records its end. The round's time is
the last consumer's end - the first producer's start. Prints one JSON line: ``items_per_s``
(count / time) and the time in ms.
"""
import time

import mp4jbench


def produce(q, barrier, starts, p, producers, per, rounds):
    for r in range(rounds):
        barrier.wait()
        starts[r * producers + p] = time.monotonic_ns()
        for i in range(per):
            q.put(p + producers * i)


def consume(q, barrier, ends, c, consumers, producers, count, share, rounds):
    for r in range(rounds):
        barrier.wait()  # a consumer done with its share does not take the next one's items
        last = [-1] * producers
        for _ in range(share):
            o = q.get()
            # the message is built only on a mismatch, here as in the Java side
            if not (0 <= o < count and o > last[o % producers]):
                mp4jbench.check(False, f"item {o} out of order or range")
            last[o % producers] = o
        ends[r * consumers + c] = time.monotonic_ns()


def main():
    args = mp4jbench.parse(__doc__, 5, {
        "--count": {"type": int, "default": 200_000},
        "--producers": {"type": int, "default": 4},
        "--consumers": {"type": int, "default": 4},
    })
    ctx, rounds = args.ctx, args.n + 1
    producers, consumers = args.producers, args.consumers
    per, share = args.count // producers, args.count // consumers
    count = per * producers
    mp4jbench.check(share * consumers == count, f"--count {args.count} must divide by both {producers} and {consumers}")
    q = ctx.Queue()
    barrier = ctx.Barrier(producers + consumers + 1)
    starts = ctx.RawArray("q", rounds * producers)
    ends = ctx.RawArray("q", rounds * consumers)
    children = [ctx.Process(target=produce, args=(q, barrier, starts, p, producers, per, rounds))
                for p in range(producers)]
    children += [ctx.Process(target=consume, args=(q, barrier, ends, c, consumers, producers, count, share, rounds))
                 for c in range(consumers)]
    for child in children:
        child.start()
    per_second, millis = [], []
    for r in range(rounds):
        barrier.wait()
        while any(ends[r * consumers + c] == 0 for c in range(consumers)):
            for c in range(consumers):
                mp4jbench.check(children[producers + c].is_alive() or ends[r * consumers + c] != 0,
                                f"consumer {c} exited early")
            time.sleep(0.0005)  # off the CPU: the children need it
        first = min(starts[r * producers + p] for p in range(producers))
        last = max(ends[r * consumers + c] for c in range(consumers))
        if r > 0:
            seconds = (last - first) / 1e9
            per_second.append(count / seconds)
            millis.append(seconds * 1e3)
    for child in children:
        child.join()
        mp4jbench.check(child.exitcode == 0, f"a child exited with {child.exitcode}")
    out = mp4jbench.header("queue_mpmc", args)
    out["count"] = count
    out["producers"] = producers
    out["consumers"] = consumers
    mp4jbench.series(out, "items", "per_s", per_second)
    mp4jbench.series(out, "time", "ms", millis)
    mp4jbench.emit(out)


if __name__ == "__main__":
    main()
