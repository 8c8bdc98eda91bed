package org.multiprocessing4j.internal.queue;

/**
 * The main of a plain child JVM for {@link RingRecoveryIT}: opens a queue's ring by name and puts or
 * takes one value ({@code put NAME VALUE} / {@code take NAME}), with whatever test hook
 * ({@code -Dmp4j.test.queuePark}) its command line sets.
 */
public final class RingChild {
    private RingChild() {}

    public static void main(String[] args) throws Exception {
        try (Ring ring = Ring.open(args[1], false)) {
            if (args[0].equals("put")) {
                ring.put(ring.prepare(args[2]), -1);
            } else {
                System.out.println(ring.take(-1));
            }
        }
    }
}
