package org.multiprocessing4j.cli;

import org.multiprocessing4j.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mp4j} command. */
@Command(name = "mp4j", mixinStandardHelpOptions = true, version = "multiprocessing4j 0.1.0-SNAPSHOT",
        description = "multiprocessing4j: Python's multiprocessing for Java, with real processes.",
        subcommands = {TourCommand.class, ManagerCommand.class, WorkerCommand.class, ClusterCommand.class, BenchCommand.class, LsCommand.class, CleanCommand.class, PsCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
