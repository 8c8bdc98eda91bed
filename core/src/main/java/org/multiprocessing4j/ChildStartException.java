package org.multiprocessing4j;

/**
 * A child JVM ended before it began to run its target: a bad JVM option, a class the child could not
 * load, a corrupt launch message. The message carries the child's pid, exit code and the last lines of
 * its standard error. Also thrown by {@code start()} without starting a JVM when children cannot be
 * started from the application's packaging at all; then {@link #pid()} is -1 and the message says
 * what to do.
 */
public class ChildStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;
    private final String stderrTail;

    public ChildStartException(String processName, long pid, int exitCode, String stderrTail) {
        super(processName + " (pid " + pid + ") ended with exit code " + exitCode
                + " before it started its target; its standard error ended with:\n" + stderrTail);
        this.pid = pid;
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }

    /**
     * No JVM was started: the message says why and what to do.
     *
     * @param message what went wrong and how to fix it
     */
    public ChildStartException(String message) {
        super(message);
        this.pid = -1;
        this.exitCode = 0;
        this.stderrTail = "";
    }

    /** The child's pid, or -1 if no JVM was started. */
    public long pid() { return pid; }

    /** The child's exit code, Python's convention (negative: killed by that signal). */
    public int exitCode() { return exitCode; }

    /** The last lines the child wrote to its standard error. */
    public String stderrTail() { return stderrTail; }
}
