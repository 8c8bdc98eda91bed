package org.multiprocessing4j.internal.launch;

import java.io.Serializable;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.ProcessInfo;

/**
 * What a parent sends a child on its control channel: the process object (its target, or the
 * subclass's fields), and who the parent is.
 */
public record LaunchRequest(ChildProcess process, String name, String identity, boolean daemon, ProcessInfo parent)
        implements Serializable {}
