package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.Function;

/** A {@link Function} that can cross a process boundary: a lambda typed as this is serializable. */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
