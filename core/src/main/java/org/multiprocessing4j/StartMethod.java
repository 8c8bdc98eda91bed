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
     * Spare JVMs are kept booted and waiting (two, or {@code -Dmp4j.spares=N}); {@code start()} hands the
     * target to one and boots its replacement in the background a moment later. A spare has already
     * loaded the launch path and warmed the JDK's sockets, so a pool of up to that many
     * workers starts on spares only. Python's {@code forkserver} idea, without {@code fork}. A process
     * with its own {@link ChildProcess#jvmOptions(String...)} always gets a new JVM.
     */
    WARM_SPARE
}
