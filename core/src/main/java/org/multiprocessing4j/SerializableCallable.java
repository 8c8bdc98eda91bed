package org.multiprocessing4j;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** A {@link Callable} that can cross a process boundary: a lambda typed as this is serializable. */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {}
