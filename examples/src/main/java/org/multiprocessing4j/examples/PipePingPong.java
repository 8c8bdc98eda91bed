package org.multiprocessing4j.examples;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Pipe;

/**
 * Two processes at the two ends of a pipe: seed 001 §8 ("进程间的通信(Pipe)") and seed 003 (the sender
 * sends a list of messages, the receiver prints them and stops at "END"). First a one-way pipe between a
 * writer process and a reader process; then a two-way (duplex) pipe: the main process pings, a child
 * pongs, and when the child closes its end the main process's {@code recv()} reaches end of file
 * (Python's {@code EOFError}).
 *
 * <p>The Python original (seed 003):
 * <pre>{@code
 * def sender(conn, msgs):
 *     for msg in msgs:
 *         conn.send(msg)
 *         print("Sent the message: {}".format(msg))
 *     conn.close()
 *
 * def receiver(conn):
 *     while 1:
 *         msg = conn.recv()
 *         if msg == "END":
 *             break
 *         print("Received the message: {}".format(msg))
 *
 * if __name__ == "__main__":
 *     msgs = ["hello", "hey", "hru?", "END"]
 *     parent_conn, child_conn = multiprocessing.Pipe()
 *     p1 = multiprocessing.Process(target=sender, args=(parent_conn, msgs))
 *     p2 = multiprocessing.Process(target=receiver, args=(child_conn,))
 *     p1.start()
 *     p2.start()
 *     p1.join()
 *     p2.join()
 * }</pre>
 *
 * <p>{@code Pipe(duplex=False)} is {@code ctx.pipe(false)}: its first end only receives, its second only
 * sends. An end captured in a child's lambda moves to that child.
 */
public final class PipePingPong {
    /** The seed's messages; the last one ends the receiver. */
    static final List<String> MSGS = List.of("hello", "hey", "hru?", "END");

    private PipePingPong() {}

    /** The writer's target: sends every message, then closes its end. */
    static void sender(Connection conn, List<String> msgs) {
        for (String msg : msgs) {
            conn.send(msg);
            System.out.println("writer pid=" + Work.pid() + ": sent the message: " + msg);
        }
        conn.close();
    }

    /** The reader's target: receives until "END". */
    static void receiver(Connection conn) {
        List<String> received = new ArrayList<>();
        while (true) {
            String msg = (String) conn.recv();
            if (msg.equals("END")) {
                break;
            }
            System.out.println("reader pid=" + Work.pid() + ": received the message: " + msg);
            received.add(msg);
        }
        System.out.println("reader: received " + received + " then END, and stops");
        conn.close();
    }

    /** The ponger's target: answers every ping until "END", then closes its end. */
    static void ponger(Connection conn) {
        for (Object m = conn.recv(); !"END".equals(m); m = conn.recv()) {
            conn.send("pong " + m + " from pid=" + Work.pid());
        }
        conn.close();
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        System.out.println("main: pid=" + Work.pid());

        Pipe oneWay = ctx.pipe(false);
        Connection readEnd = oneWay.first();
        Connection writeEnd = oneWay.second();
        ChildProcess p1 = ctx.process(() -> sender(writeEnd, MSGS)).name("writer").start();
        ChildProcess p2 = ctx.process(() -> receiver(readEnd)).name("reader").start();
        p1.join();
        p2.join();
        System.out.println("main: writer pid=" + p1.pid() + " exit code " + p1.exitCode().orElseThrow()
                + ", reader pid=" + p2.pid() + " exit code " + p2.exitCode().orElseThrow());

        Pipe duplex = ctx.pipe(true);
        Connection child = duplex.second();
        ChildProcess ponger = ctx.process(() -> ponger(child)).name("ponger").start();
        try (Connection parent = duplex.first()) {
            for (int i = 1; i <= 3; i++) {
                parent.send("ping " + i);
                System.out.println("main: sent ping " + i + ", received: " + parent.recv());
            }
            parent.send("END");
            try {
                Object extra = parent.recv();
                System.out.println("main: received " + extra + " after END (this should not happen)");
            } catch (UncheckedIOException e) {
                System.out.println("main: recv() after the ponger closed its end: UncheckedIOException caused by "
                        + (e.getCause() instanceof EOFException ? "EOFException" : String.valueOf(e.getCause())));
            }
        }
        ponger.join();
        System.out.println("main: ponger pid=" + ponger.pid() + " exit code " + ponger.exitCode().orElseThrow());
    }
}
