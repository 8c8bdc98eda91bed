package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.Supplier;

/** A {@link Supplier} that can cross a process boundary: a lambda typed as this is serializable. */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {}
