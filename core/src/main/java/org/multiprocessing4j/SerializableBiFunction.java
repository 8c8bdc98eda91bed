package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.BiFunction;

/** A {@link BiFunction} that can cross a process boundary: a lambda typed as this is serializable. */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {}
