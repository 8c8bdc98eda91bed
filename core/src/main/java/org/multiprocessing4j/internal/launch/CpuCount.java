package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * How many CPUs this process may use: the smaller of its CPU affinity mask and its cgroup CPU quota
 * (rounded up), as Python 3.13's {@code os.process_cpu_count()} counts the first and container runtimes
 * the second. Read from {@code /proc} and {@code /sys/fs/cgroup}; on a system without them, the JDK's
 * {@link Runtime#availableProcessors()}. The system property {@code mp4j.cpuCount} overrides it (as
 * {@code PYTHON_CPU_COUNT} does).
 */
public final class CpuCount {
    private CpuCount() {}

    public static int get() {
        String override = System.getProperty("mp4j.cpuCount");
        if (override != null) {
            return Math.max(1, Integer.parseInt(override.trim()));
        }
        int count = affinity().orElse(Runtime.getRuntime().availableProcessors());
        OptionalInt quota = cgroupQuota();
        if (quota.isPresent()) {
            count = Math.min(count, quota.getAsInt());
        }
        return Math.max(1, count);
    }

    static OptionalInt affinity() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return OptionalInt.of(countCpuList(line.substring(line.indexOf(':') + 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return OptionalInt.empty();
    }

    /** Counts a kernel CPU list such as {@code "0-3,8,10-11"}. */
    static int countCpuList(String list) {
        int count = 0;
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                count++;
            } else {
                count += Integer.parseInt(part.substring(dash + 1).trim()) - Integer.parseInt(part.substring(0, dash).trim()) + 1;
            }
        }
        return count;
    }

    static OptionalInt cgroupQuota() {
        try {
            return cgroupQuota(Files.readAllLines(Path.of("/proc/self/cgroup")), Path.of("/sys/fs/cgroup"));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The CPU quota of the cgroup named in {@code /proc/self/cgroup} lines, and of each of its ancestors
     * (the tightest wins), under the cgroup file system mounted at {@code root}.
     */
    static OptionalInt cgroupQuota(List<String> procCgroup, Path root) throws IOException {
        int best = Integer.MAX_VALUE;
        for (String line : procCgroup) {
            String[] fields = line.split(":", 3);
            if (fields.length < 3) {
                continue;
            }
            if (fields[0].equals("0") && fields[1].isEmpty()) { // cgroup v2
                for (Path dir = under(root, fields[2]); dir != null && dir.startsWith(root); dir = dir.getParent()) {
                    Path max = dir.resolve("cpu.max");
                    if (Files.isReadable(max)) {
                        best = Math.min(best, quotaV2(Files.readString(max)));
                    }
                }
            } else if (List.of(fields[1].split(",")).contains("cpu")) { // cgroup v1
                for (String mount : List.of("cpu,cpuacct", "cpu", "cpuacct,cpu")) {
                    Path dir = under(root.resolve(mount), fields[2]);
                    Path quota = dir.resolve("cpu.cfs_quota_us");
                    Path period = dir.resolve("cpu.cfs_period_us");
                    if (Files.isReadable(quota) && Files.isReadable(period)) {
                        best = Math.min(best, quotaV1(Files.readString(quota), Files.readString(period)));
                    }
                }
            }
        }
        return best == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** {@code cpu.max}: {@code "max 100000"} (no limit) or {@code "150000 100000"} (1.5 CPUs → 2). */
    static int quotaV2(String cpuMax) {
        String[] parts = cpuMax.trim().split("\\s+");
        if (parts[0].equals("max") || parts.length < 2) {
            return Integer.MAX_VALUE;
        }
        return ceilDiv(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    static int quotaV1(String quota, String period) {
        long q = Long.parseLong(quota.trim());
        return q <= 0 ? Integer.MAX_VALUE : ceilDiv(q, Long.parseLong(period.trim()));
    }

    private static int ceilDiv(long quota, long period) {
        return (int) Math.max(1, Math.ceilDiv(quota, period));
    }

    private static Path under(Path root, String cgroupPath) {
        String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        return relative.isEmpty() ? root : root.resolve(relative);
    }
}
