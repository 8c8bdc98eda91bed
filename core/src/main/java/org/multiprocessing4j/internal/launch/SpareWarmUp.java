package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.internal.shm.FutexWarmUp;

/**
 * What a warm spare does while it waits, beyond deserializing its warm-up message: the JDK's socket
 * stack, which a pool worker, a manager client or a listener's peer needs first thing. NIO's native
 * set-up, and the {@code SecureRandom} that the JDK's Unix domain sockets create when first used
 * (security properties and providers), took 11–20 ms of a spare that became a pool worker, traced
 * between its target's start and its socket's opening (two cores); warmed, it takes nothing there.
 *
 * <p>It also reads a class file from the class path ({@link Preload#readClassFile}): the user's class
 * that holds the target will be the first that the spare loads from a JAR rather than the AOT cache.
 *
 * <p>And it links the futex binding ({@link FutexWarmUp}), which a target handed a queue, a pipe, a lock
 * or a shared value needs at its first wait or wake: 25–40 ms of CPU once, on a thread of its own.
 *
 * <p>Nothing here reads, writes or connects: the channel is opened and closed unbound.
 */
final class SpareWarmUp {
    private SpareWarmUp() {}

    static void warmUp() {
        FutexWarmUp.start(); // beside the rest: a target handed a queue, a lock or a value needs it first
        Preload.readClassFile();
        try (SocketChannel unused = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // opening it is the warm-up
        } catch (IOException | UnsupportedOperationException e) {
            // no Unix domain sockets here: nothing to warm
        }
    }
}
