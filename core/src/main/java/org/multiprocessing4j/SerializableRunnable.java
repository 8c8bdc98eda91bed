package org.multiprocessing4j;

import java.io.Serializable;

/** A {@link Runnable} that can cross a process boundary: a lambda typed as this is serializable. */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {}
