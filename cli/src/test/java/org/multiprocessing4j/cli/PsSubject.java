package org.multiprocessing4j.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;

/**
 * A program for {@code mp4j ps} to find: a pool of one worker, a manager, a child waiting on an event
 * and the event itself (a segment). Prints {@code ready} with the child's pid, then holds everything
 * until its stdin closes.
 */
public final class PsSubject {
    private PsSubject() {}

    private static void awaitQuietly(ProcessEvent event) {
        try {
            event.await(Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.local();
        ProcessEvent done = ctx.event();
        try (ProcessPool pool = ctx.pool(1); Manager manager = ctx.manager()) {
            pool.apply(() -> 1); // the worker is up and serving
            manager.dict().put("k", "v");
            ProcessQueue<Integer> running = ctx.queue();
            ChildProcess child = ctx.process(() -> {
                running.add(1); // its target runs: it is in the process table
                awaitQuietly(done);
            }).name("waiter").start();
            running.take();
            System.out.println("ready " + child.pid() + " " + done.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our stdin
            }
            done.set();
            child.join(Duration.ofSeconds(30));
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
