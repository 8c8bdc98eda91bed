package org.multiprocessing4j.internal.launch.training;

import java.io.IOException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.internal.wire.Serializer;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * The launch message of a child whose target holds the library's objects, in miniature, for the AOT
 * cache's training run only: a target capturing a queue, a lock, an event, a shared counter, a shared
 * array and a pipe's end, serialized as the launcher serializes such a process and read back, then each
 * object read back used once. Such a child's launch message is of the serialized form; without this,
 * every class of those objects' serial forms and of their attach path came from the class path's JARs
 * in every such child (measured: a child capturing a queue and a shared array spent 170–230 ms
 * deserializing its target), since no other rehearsal serializes them.
 */
final class HandlesRehearsal {
    private HandlesRehearsal() {}

    /** Runs it; returns whether every object read back was used. */
    static boolean run() {
        Context ctx = Multiprocessing.local();
        try (ProcessQueue<Object> queue = ctx.queue();
                SharedLong counter = ctx.sharedLong(0);
                SharedLongArray array = ctx.sharedLongArray(4);
                ProcessLock lock = ctx.lock();
                ProcessEvent event = ctx.event()) {
            Pipe pipe = ctx.pipe(true);
            try {
                Connection end = pipe.second();
                ChildProcess process = ctx.process(() -> use(queue, lock, event, counter, array, end));
                Serializer serializers = Serializers.get();
                ChildProcess back = (ChildProcess) serializers.deserialize(serializers.serialize(process));
                back.run(); // the handles read back, used as a child's target would use them
                return queue.poll() != null && counter.get() == 1 && array.get(0) == 1 && event.isSet()
                        && pipe.first().recv() != null;
            } finally {
                pipe.first().close();
                pipe.second().close();
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return false; // a colder cache, nothing else
        }
    }

    private static void use(ProcessQueue<Object> queue, ProcessLock lock, ProcessEvent event, SharedLong counter,
            SharedLongArray array, Connection end) {
        lock.lock();
        try {
            counter.incrementAndGet();
            array.set(0, 1);
        } finally {
            lock.unlock();
        }
        try {
            queue.put("rehearsed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        event.set();
        end.send("rehearsed");
    }
}
