package org.multiprocessing4j.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.shm.Segments.Info;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mp4j clean}: removes the orphaned shared segments (ours, and no live process has them open:
 * every user was killed) and says which. A segment in use, or a file that is not ours, is never
 * touched.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Remove orphaned shared segments (/dev/shm/mp4j.* that no live process has open).",
                "Segments in use and files that are not multiprocessing4j's are left alone."})
public final class CleanCommand implements Callable<Integer> {

    @Option(names = {"-n", "--dry-run"}, description = "Say what would be removed; remove nothing.")
    boolean dryRun;

    private final PrintStream out;

    public CleanCommand() {
        this(System.out);
    }

    CleanCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Map<String, Info> before = Segments.list().stream().collect(Collectors.toMap(Info::name, Function.identity()));
        List<String> names = dryRun
                ? before.values().stream().filter(Info::orphaned).map(Info::name).sorted().toList()
                : Segments.sweep().stream().sorted().toList();
        String verb = dryRun ? "would remove" : "removed";
        for (String name : names) {
            Info info = before.get(name);
            out.println(verb + " " + name + (info == null ? ""
                    : " (" + info.kind() + ", " + LsCommand.size(info.payloadSize()) + ", created by pid "
                            + info.creatorPid() + (info.dead().isEmpty() ? "" : ", dead users " + info.dead()) + ")"));
        }
        long inUse = before.values().stream().filter(i -> i.ours() && !i.orphaned()).count();
        out.println(names.isEmpty() ? "no orphaned segments in " + Segments.directory()
                : verb + " " + names.size() + " orphaned segment(s) from " + Segments.directory());
        if (inUse > 0) {
            out.println(inUse + " segment(s) in use, left alone");
        }
        return 0;
    }
}
