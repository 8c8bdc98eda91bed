package org.multiprocessing4j.internal.launch.training;

import org.multiprocessing4j.internal.conn.PipeEnd;

/**
 * A pipe's traffic in miniature, for the AOT cache's training run only (as the pool's
 * {@code Rehearsal}): round trips of small values and a few large messages between two threads, so
 * that the cache carries the pipe's classes and its method profiles (JEP 515) and a child's pipe code
 * is compiled early instead of during its first thousands of messages.
 */
final class PipeRehearsal {
    private static final int ROUND_TRIPS = 6_000;
    private static final int LARGE = 16;

    private PipeRehearsal() {}

    static void run() {
        PipeEnd[] ends = PipeEnd.pipe(true);
        try {
            Thread echo = Thread.ofPlatform().daemon(true).name("rehearsal-echo").start(() -> {
                try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        ends[1].send(ends[1].recv());
                    }
                    for (int i = 0; i < LARGE; i++) {
                        ends[1].recvBytes();
                    }
                } catch (RuntimeException e) {
                    // the rehearsal ends early: a colder cache, nothing else
                }
            });
            for (int i = 0; i < ROUND_TRIPS; i++) {
                ends[0].send(i);
                ends[0].recv();
            }
            byte[] mib = new byte[1 << 20];
            for (int i = 0; i < LARGE; i++) {
                ends[0].sendBytes(mib);
            }
            echo.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a rehearsal that fails leaves the cache a little colder, nothing else
        } finally {
            ends[0].close();
            ends[1].close();
        }
    }
}
