package org.multiprocessing4j;

import java.util.Objects;

/** The two ends of a {@link Context#pipe(boolean)}: Python's {@code a, b = Pipe()}. */
public record Pipe(Connection first, Connection second) {
    public Pipe {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }
}
