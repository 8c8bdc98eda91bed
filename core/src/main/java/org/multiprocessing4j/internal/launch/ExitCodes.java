package org.multiprocessing4j.internal.launch;

/**
 * Python's exit-code convention on top of what the JDK reports. The JDK reports a process killed by
 * signal N as {@code 128 + N}, as a shell does; Python reports {@code -N}. A JVM that received SIGTERM
 * runs its shutdown hooks and exits with 143, which is also read as {@code -15}.
 *
 * <p>The one ambiguity: a child that itself calls {@code System.exit(n)} with {@code 129 ≤ n ≤ 192}
 * reads as killed by signal {@code n - 128}, as it would in a shell.
 */
public final class ExitCodes {
    /** The child's code when its target threw (Python: 1 and the traceback on stderr). */
    public static final int UNCAUGHT_EXCEPTION = 1;
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private ExitCodes() {}

    public static int fromJdk(int exitValue) {
        if (exitValue > SIGNAL_BASE && exitValue <= SIGNAL_BASE + MAX_SIGNAL) {
            return -(exitValue - SIGNAL_BASE);
        }
        return exitValue;
    }

    /** {@code "exit code 3"} or {@code "killed by SIGKILL (-9)"}, for messages. */
    public static String describe(int code) {
        if (code >= 0) {
            return "exit code " + code;
        }
        return "killed by " + signalName(-code) + " (" + code + ")";
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }
}
