package org.multiprocessing4j.bench.jmh;

import java.io.Serializable;
import org.multiprocessing4j.SerializableRunnable;

/**
 * A typical launch payload: a record holding a process name and a target lambda that captures a
 * String and an int — what {@code ctx.process(() -> work(greeting, times))} sends a child.
 */
public record LaunchPayload(String name, SerializableRunnable target) implements Serializable {

    /** Set by the target when it runs, so a benchmark can check the lambda survived the trip. */
    public static volatile int sink;

    public static LaunchPayload typical() {
        return of("hello from a child", 3);
    }

    public static LaunchPayload of(String greeting, int times) {
        return new LaunchPayload("ChildProcess-1", () -> sink = greeting.length() * times);
    }
}
