package org.multiprocessing4j.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.multiprocessing4j.internal.launch.ProcessTable;
import org.multiprocessing4j.internal.launch.ProcessTable.Entry;
import org.multiprocessing4j.internal.shm.Segments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mp4j ps}: which JVMs on this machine are multiprocessing4j's, as a tree: each program, its
 * children, pool workers, manager servers, warm spares, AOT training runs and resource trackers, with
 * pid, role, name, age, resident memory, CPU time and the shared segments each has open. Reads the
 * process table ({@link ProcessTable}), {@code /proc} and the segments' attach tables; changes nothing.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List the live multiprocessing4j processes of this machine as a tree:",
                "programs, children, pool workers, manager servers, spares, resource trackers;",
                "pid, role, name, age, RSS, CPU time and the shared segments each has open."})
public final class PsCommand implements Callable<Integer> {
    /** Clock ticks per second of /proc's times: 100 on Linux everywhere it runs (USER_HZ). */
    private static final double TICKS = 100.0;
    private static final long PAGE = 4096;

    @Option(names = "--json", description = "One JSON document (a list of trees) for scripts.")
    boolean json;

    private final PrintStream out;

    public PsCommand() {
        this(System.out);
    }

    PsCommand(PrintStream out) {
        this.out = out;
    }

    /** One process: the table's entry, what /proc says of it, and its children in the tree. */
    record Node(Entry entry, double ageSeconds, long rssBytes, double cpuSeconds, List<String> segments,
            List<Node> children) {}

    @Override
    public Integer call() {
        List<Node> roots = tree(ProcessTable.entries(), segmentsByPid());
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(roots.stream().map(PsCommand::toMap).toList()));
            return 0;
        }
        if (roots.isEmpty()) {
            out.println("no multiprocessing4j process is running");
            return 0;
        }
        String format = "%-24s %-16s %-18s %8s %10s %8s  %s%n";
        out.printf(format, "PID", "ROLE", "NAME", "AGE", "RSS", "CPU", "SEGMENTS");
        for (Node root : roots) {
            print(root, "", "", format);
        }
        return 0;
    }

    private void print(Node node, String lead, String childLead, String format) {
        Entry e = node.entry();
        out.printf(format, lead + e.pid(), e.role(), e.name(), age(node.ageSeconds()),
                LsCommand.size(node.rssBytes()), String.format("%.2fs", node.cpuSeconds()),
                node.segments().isEmpty() ? "-" : String.join(", ", node.segments()));
        for (int i = 0; i < node.children().size(); i++) {
            boolean last = i == node.children().size() - 1;
            print(node.children().get(i), childLead + (last ? "└─ " : "├─ "), childLead + (last ? "   " : "│  "), format);
        }
    }

    /** The entries as trees: a process hangs under its parent when the parent is in the table too. */
    static List<Node> tree(List<Entry> entries, Map<Long, List<String>> segments) {
        Map<Long, Node> nodes = new LinkedHashMap<>();
        double boot = bootTimeSeconds();
        for (Entry e : entries.stream().sorted(Comparator.comparingLong(Entry::pid)).toList()) {
            long[] stat = stat(e.pid());
            double age = stat == null || boot <= 0 ? -1 : System.currentTimeMillis() / 1000.0 - (boot + stat[2] / TICKS);
            nodes.put(e.pid(), new Node(e, age, rss(e.pid()), stat == null ? 0 : (stat[0] + stat[1]) / TICKS,
                    segments.getOrDefault(e.pid(), List.of()), new ArrayList<>()));
        }
        List<Node> roots = new ArrayList<>();
        for (Node node : nodes.values()) {
            long parent = parentOf(node.entry());
            Node up = nodes.get(parent);
            if (up != null && up != node) {
                up.children().add(node);
            } else {
                roots.add(node);
            }
        }
        return roots;
    }

    /** The live parent (from /proc, which knows re-parenting), else the one the entry recorded. */
    private static long parentOf(Entry e) {
        return ProcessHandle.of(e.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(e.parentPid());
    }

    private static Map<Long, List<String>> segmentsByPid() {
        Map<Long, List<String>> byPid = new HashMap<>();
        for (Segments.Info info : Segments.list()) {
            for (long pid : info.attached()) {
                byPid.computeIfAbsent(pid, k -> new ArrayList<>()).add(info.name());
            }
        }
        byPid.values().forEach(names -> names.sort(null));
        return byPid;
    }

    /** utime, stime and starttime (clock ticks) from /proc/PID/stat, or null. */
    static long[] stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: fields start after the last ')'
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[19])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long rss(long pid) {
        try {
            String[] f = Files.readString(Path.of("/proc", Long.toString(pid), "statm")).trim().split(" ");
            return Long.parseLong(f[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double bootTimeSeconds() {
        try {
            return Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("btime "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(6).trim())).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String age(double seconds) {
        if (seconds < 0) {
            return "-";
        }
        if (seconds < 60) {
            return String.format("%.1fs", seconds);
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", (long) seconds / 60, (long) seconds % 60);
        }
        return String.format("%dh%02dm", (long) seconds / 3600, (long) seconds % 3600 / 60);
    }

    private static Map<String, Object> toMap(Node node) {
        Map<String, Object> m = new LinkedHashMap<>();
        Entry e = node.entry();
        m.put("pid", e.pid());
        m.put("role", e.role());
        m.put("name", e.name());
        m.put("parent_pid", parentOf(e));
        m.put("age_s", node.ageSeconds());
        m.put("rss_bytes", node.rssBytes());
        m.put("cpu_s", node.cpuSeconds());
        m.put("command", e.command());
        m.put("segments", node.segments());
        m.put("children", node.children().stream().map(PsCommand::toMap).toList());
        return m;
    }
}
