package org.multiprocessing4j.examples;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.Multiprocessing;

/**
 * Connecting processes by address, with an authentication key: Python's
 * {@code multiprocessing.connection.Listener} and {@code Client}, the socket behind a {@code Pipe} (seed
 * 001 §8, seed 003 "进程通信(pipe和queue)"). The main process listens on a free TCP port; a child connects
 * with the same authkey and exchanges messages. A child with a wrong key is refused on both sides
 * ({@code AuthenticationException}, Python's {@code AuthenticationError}) before anything it sent is
 * read, and the listener keeps serving: the next client with the right key gets through.
 *
 * <p>The Python original (from the {@code multiprocessing} documentation):
 * <pre>{@code
 * # the listener
 * address = ('localhost', 6000)
 * with Listener(address, authkey=b'secret password') as listener:
 *     with listener.accept() as conn:
 *         print('connection accepted from', listener.last_accepted)
 *         conn.send([2.25, None, 'junk', float])
 *
 * # the client
 * with Client(address, authkey=b'secret password') as conn:
 *     print(conn.recv())
 * }</pre>
 */
public final class ListenerClient {
    private ListenerClient() {}

    /** A client's target: connects with {@code key}, says hello and prints the reply, or the refusal. */
    static void client(String name, SocketAddress address, byte[] key) {
        try (Connection conn = Client.connect(address, key)) {
            conn.send("hello from " + name + " pid=" + Work.pid());
            System.out.println(name + " pid=" + Work.pid() + ": received: " + conn.recv());
        } catch (AuthenticationException e) {
            System.out.println(name + " pid=" + Work.pid() + ": refused: AuthenticationException");
        }
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        System.out.println("main: pid=" + Work.pid());
        byte[] key = "secret password".getBytes(StandardCharsets.UTF_8);
        byte[] wrong = "wrong password".getBytes(StandardCharsets.UTF_8);
        try (Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), key)) {
            SocketAddress address = listener.address();
            System.out.println("main: listening on " + address);
            serve(ctx, listener, "client-1", key);
            serve(ctx, listener, "intruder", wrong);
            serve(ctx, listener, "client-2", key);
        }
        System.out.println("main ends");
    }

    /** Starts a client process with {@code key} and serves its one connection, or reports the refusal. */
    private static void serve(Context ctx, Listener listener, String name, byte[] key) {
        SocketAddress address = listener.address();
        ChildProcess p = ctx.process(() -> client(name, address, key)).name(name).start();
        try (Connection conn = listener.accept()) {
            Object hello = conn.recv();
            System.out.println("listener: accepted " + name + ", received: " + hello);
            conn.send("welcome, " + name);
        } catch (AuthenticationException e) {
            System.out.println("listener: accept() refused " + name + ": AuthenticationException; still serving");
        }
        p.join();
        System.out.println("main: " + name + " pid=" + p.pid() + " exit code " + p.exitCode().orElseThrow());
    }
}
