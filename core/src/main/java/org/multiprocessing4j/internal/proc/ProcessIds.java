package org.multiprocessing4j.internal.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a process is alive, and still the same process: the one liveness check of the library.
 * Who a process is fits one 64-bit word that shared memory can hold and compare: its pid and its
 * start time, so that a pid the kernel has handed to a new process is not taken for the process that
 * recorded it ({@link #alive}). Where only a pid was recorded (a file name, a handshake),
 * {@link #running} says whether it is in use, and {@link #runningSince} whether by the process that
 * was there at a given time.
 *
 * <pre>
 *  63                            32 31                             0
 *  +-------------------------------+-------------------------------+
 *  | start time, low 32 bits       | pid                           |   0 = nobody
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * The start time is field 22 of {@code /proc/PID/stat}: clock ticks since boot (100 a second on
 * Linux), so its low 32 bits repeat after about 497 days; a reused pid would have to start a multiple
 * of that after the first to be confused with it. Linux pids fit 22 bits ({@code PID_MAX_LIMIT}).
 * Where a word cannot spare 32 bits for the start time, the structure keeps an identity word next to
 * its pid (a queue's slots, {@code QueueLayout}), or puts the start time where a thread token was (a
 * lock's word, {@code RobustMutex}).
 */
public final class ProcessIds {
    private static final long PID_MASK = 0xffff_ffffL;
    private static final long SELF_PID = ProcessHandle.current().pid();
    private static final long SELF = identityOf(SELF_PID);

    private ProcessIds() {}

    /** This process's identity. */
    public static long self() {
        return SELF;
    }

    /** The pid in an identity. */
    public static long pid(long identity) {
        return identity & PID_MASK;
    }

    /** The low 32 bits of the start time in an identity. */
    public static int startTime(long identity) {
        return (int) (identity >>> 32);
    }

    /** The identity of the running process {@code pid}, or 0 if there is none. */
    public static long identityOf(long pid) {
        long start = startTicks(pid);
        return start < 0 ? 0 : compose(pid, start);
    }

    /** An identity from a pid and a start time in clock ticks since boot. */
    public static long compose(long pid, long startTicks) {
        return (startTicks << 32) | (pid & PID_MASK);
    }

    /**
     * Whether the process that {@code identity} names still runs: its pid is in use, by a process that
     * started when the identity says (a zombie counts as gone).
     */
    public static boolean alive(long identity) {
        if (identity == SELF) {
            return true;
        }
        long pid = pid(identity);
        if (pid == 0) {
            return false;
        }
        return identityOf(pid) == identity;
    }

    /** Whether a process {@code pid} runs (a pid alone: it may have been reused). */
    public static boolean running(long pid) {
        return pid == SELF_PID || pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Whether a process {@code pid} runs and is the one that was there at {@code epochMillis}: it
     * started by then (give or take a second of clock granularity), not a later process given the
     * same pid.
     */
    public static boolean runningSince(long pid, long epochMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant().map(s -> s.toEpochMilli() <= epochMillis + 1000).orElse(true))
                .orElse(false);
    }

    /** Field 22 of {@code /proc/PID/stat}, or -1 if there is no such process or it is a zombie. */
    static long startTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            return -1; // gone between the directory and the read, or not Linux
        }
        int close = stat.lastIndexOf(')'); // the command name (field 2) may hold spaces and parentheses
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        // fields[0] is field 3 (state): field 22 is fields[19]
        if (fields.length < 20 || fields[0].equals("Z") || fields[0].equals("X")) {
            return -1;
        }
        try {
            return Long.parseLong(fields[19]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
