package org.multiprocessing4j.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.shm.Segments.Info;
import picocli.CommandLine.Command;

/**
 * {@code mp4j ls}: the shared segments under {@code /dev/shm} ({@code mp4j.*}), what each holds, who
 * made it, which processes have it open (alive, or dead without detaching), and whether it is
 * orphaned: ours, and no live process has it open. Reads only; {@code mp4j clean} removes orphans.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the shared segments (/dev/shm/mp4j.*): kind, size, creator, attached processes.",
                "A segment no live process has open is orphaned; 'mp4j clean' removes those."})
public final class LsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final PrintStream out;

    public LsCommand() {
        this(System.out);
    }

    LsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        List<Info> segments = Segments.list().stream().sorted(Comparator.comparing(Info::name)).toList();
        out.println(Segments.directory() + ": " + segments.size() + " segment(s)");
        if (segments.isEmpty()) {
            return 0;
        }
        int nameWidth = Math.max(4, segments.stream().mapToInt(s -> s.name().length()).max().orElse(4));
        String format = "%-" + nameWidth + "s  %-19s  %10s  %8s  %-19s  %-9s  %s%n";
        out.printf(format, "NAME", "KIND", "SIZE", "CREATOR", "CREATED", "STATE", "ATTACHED (pid, alive or dead)");
        for (Info s : segments) {
            out.printf(format, s.name(), s.kind(), size(s.payloadSize()), s.ours() ? Long.toString(s.creatorPid()) : "-",
                    s.createdMillis() > 0 ? created(s.createdMillis()) : "-", state(s), attached(s));
        }
        long orphaned = segments.stream().filter(Info::orphaned).count();
        if (orphaned > 0) {
            out.println(orphaned + " orphaned: 'mp4j clean' removes them");
        }
        return 0;
    }

    static String state(Info s) {
        return !s.ours() ? "not ours" : s.orphaned() ? "orphaned" : "in use";
    }

    private static String attached(Info s) {
        String live = s.attached().stream().map(pid -> pid + " alive").collect(Collectors.joining(", "));
        String dead = s.dead().stream().map(pid -> pid + " dead").collect(Collectors.joining(", "));
        return live.isEmpty() ? (dead.isEmpty() ? "-" : dead) : dead.isEmpty() ? live : live + ", " + dead;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String created(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault()).format(TIME);
    }
}
