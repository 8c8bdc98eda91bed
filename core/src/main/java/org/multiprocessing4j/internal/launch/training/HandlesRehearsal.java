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
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.internal.launch.LaunchRequest;
import org.multiprocessing4j.internal.wire.Serializer;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * The launch message of a child whose target holds the library's objects, in miniature, for the AOT
 * cache's training run only: a target capturing a queue, a lock, an event, a shared counter, a shared
 * array and a pipe's end, encoded as the launcher encodes such a process and read back, then each object
 * read back used once; twice: in the form such a lambda travels in ({@code LaunchRequest}'s
 * {@code LAMBDA_SHARED}, no object stream), and serialized whole, the form of a target that holds any
 * other object too, or of a subclass. Without this, every class of those objects' serial forms and of
 * their attach path came from the class path's JARs in every such child (measured: a child capturing a
 * queue and a shared array spent 170–230 ms reading its target), since no other rehearsal sends them.
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
                SerializableRunnable target = () -> use(queue, lock, event, counter, array, end);
                ChildProcess process = ctx.process(target);
                // read back as a child reads its launch message, and run as a child runs its target
                LaunchRequest request = LaunchRequest.of(process, target, "aot-training-handles", "0", false);
                ((Runnable) LaunchRequest.decode(request.encode()).process()).run();
                Serializer serializers = Serializers.get();
                ChildProcess whole = (ChildProcess) serializers.deserialize(serializers.serialize(process));
                whole.run();
                return queue.poll() != null && queue.poll() != null && counter.get() == 2 && array.get(0) == 1
                        && event.isSet() && pipe.first().recv() != null && pipe.first().recv() != null;
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
