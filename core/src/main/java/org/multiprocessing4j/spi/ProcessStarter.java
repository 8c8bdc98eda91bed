package org.multiprocessing4j.spi;

import java.io.IOException;
import java.util.List;
import org.multiprocessing4j.ChildProcess;

/**
 * Where a {@link ChildProcess} runs: a context's backend. {@link ChildProcess#start()} hands itself
 * to the starter its context gave it ({@code ChildProcess(target, starter)}); the local backend
 * launches a child JVM on this machine, the cluster backend sends the process to a member.
 */
public interface ProcessStarter {

    /**
     * Starts {@code process} (already checked to be startable) with these JVM options.
     *
     * @throws IllegalArgumentException if the process cannot be serialized; nothing was started
     * @throws IOException if it could not be started at all
     */
    StartedProcess start(ChildProcess process, List<String> jvmOptions) throws IOException;
}
