package org.multiprocessing4j.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mp4j bench}: each workload beside CPython's multiprocessing, interleaved, as ratios. */
@Command(name = "bench", description = "Measure against CPython's multiprocessing, side by side.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("the bench is being written");
    }
}
