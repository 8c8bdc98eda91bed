package org.multiprocessing4j;

import java.io.Serializable;
import java.util.Objects;

/**
 * Who a process is, as Python's {@code current_process()} and {@code parent_process()} tell it.
 *
 * @param name      {@code "MainProcess"} for the program's own JVM, else the {@link ChildProcess}'s name
 * @param pid       the operating system's process id
 * @param parentPid the operating system's id of its parent, or -1 if it has none that can be seen
 * @param daemon    whether it is a daemon process (one that may not start children)
 */
public record ProcessInfo(String name, long pid, long parentPid, boolean daemon) implements Serializable {
    public ProcessInfo {
        Objects.requireNonNull(name, "name");
    }
}
