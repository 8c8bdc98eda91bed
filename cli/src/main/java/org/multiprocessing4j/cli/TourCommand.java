package org.multiprocessing4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mp4j tour}: runs the seed programs (module examples) one after another. */
@Command(name = "tour", description = "Run the tutorials' programs, live, with real processes.")
public final class TourCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("the tour is being written");
    }
}
