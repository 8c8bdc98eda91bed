package org.multiprocessing4j;

/**
 * How a {@link Context} starts a child JVM: Python's start methods, on the JVM.
 *
 * <p>Both start a new JVM with the parent's class path; the JDK's AOT cache, built on first use,
 * speeds up either (see {@code docs/launch.md}).
 */
public enum StartMethod {
    /** A new JVM for every {@link ChildProcess#start()}: Python's {@code spawn}. */
    SPAWN,
    /**
     * A spare JVM is kept booted and waiting; {@code start()} hands the target to it and boots the next
     * spare in the background. Python's {@code forkserver} idea, without {@code fork}. A process with
     * its own {@link ChildProcess#jvmOptions(String...)} always gets a new JVM.
     */
    WARM_SPARE
}
