package org.multiprocessing4j;

/**
 * The worker process running a task died before it returned a result: killed, {@code System.exit},
 * {@code Runtime.halt}, out of memory, a native crash. The message carries the pid, the exit code or
 * signal and the last lines of the worker's stderr. The pool has replaced the worker.
 */
public class WorkerLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;
    private final String stderrTail;

    public WorkerLostException(String worker, long pid, int exitCode, String exitDescription, String stderrTail) {
        super(worker + " (pid " + pid + ") died while running the task: " + exitDescription
                + (stderrTail.isBlank() ? "" : "; its stderr ended with:\n" + stderrTail));
        this.pid = pid;
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }

    public long pid() { return pid; }

    /** Python's convention: negative for a signal. */
    public int exitCode() { return exitCode; }

    public String stderrTail() { return stderrTail; }
}
