package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * What a warm spare does while it waits, beyond deserializing its warm-up message: the first uses in
 * a JVM that a child's first moments would otherwise pay for, measured in a spare that became a pool
 * worker (two cores).
 *
 * <ul>
 *   <li>The JDK's socket stack: NIO's native set-up, and the {@code SecureRandom} that the JDK's Unix
 *       domain sockets create when first used (security properties and providers): 10–20 ms before a
 *       pool worker, a manager client or a listener's peer could connect.</li>
 *   <li>A platform thread's start (the parent watch's, a worker's result writer): a few ms the first
 *       time.</li>
 * </ul>
 *
 * <p>Nothing here reads, writes or connects: the channel is opened and closed unbound.
 */
final class SpareWarmUp implements Runnable {
    private static final long STACK_SIZE = 128 * 1024;

    private SpareWarmUp() {}

    static void warmUp() {
        try (SocketChannel unused = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // opening it is the warm-up
        } catch (IOException | UnsupportedOperationException e) {
            // no Unix domain sockets here: nothing to warm
        }
        Thread thread = new Thread(null, new SpareWarmUp(), "mp4j-spare-warm-up", STACK_SIZE);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        // the thread's start is the warm-up
    }
}
