package org.multiprocessing4j;

import java.util.Map;

/** Named attributes shared through a {@link Manager} (Python's {@code manager.Namespace()}). */
public interface Namespace {

    /** The value of attribute {@code name}. @throws java.util.NoSuchElementException if it is not set */
    <T> T get(String name);

    /** Sets attribute {@code name} (null is a value). */
    void set(String name, Object value);

    /** Whether attribute {@code name} is set. */
    boolean has(String name);

    /** Removes attribute {@code name}, if set. */
    void remove(String name);

    /** A copy of every attribute. */
    Map<String, Object> toMap();
}
