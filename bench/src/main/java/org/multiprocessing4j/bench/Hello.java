package org.multiprocessing4j.bench;

/**
 * The JVM's floor: a bare hello world, run with an AOT cache of its own ({@link LaunchFloor}). It prints
 * {@link System#nanoTime()} as its first act (CLOCK_MONOTONIC, the clock of the launch trace), without
 * string concatenation, whose first use would cost an {@code invokedynamic} bootstrap the floor does
 * not need.
 */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println(System.nanoTime());
    }
}
