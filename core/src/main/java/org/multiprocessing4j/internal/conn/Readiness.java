package org.multiprocessing4j.internal.conn;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.shm.Futex;

/**
 * {@link Connection#waitAny}: which of a mix of connections can receive without waiting, and waiting
 * for one to become so.
 *
 * <p><b>Implementation notes.</b> Two kinds of connection become ready in two ways. A socket's frames
 * arrive on its reader thread in this JVM, which calls {@link #signal()}. A pipe's messages arrive in
 * shared memory, written by another process, which wakes the futex word of the ring
 * ({@link ByteRing}) if somebody announced itself as a reader there. A wait over sockets alone waits on
 * a {@link Condition} (a virtual thread unmounts). A wait over pipes and sockets sleeps in one
 * {@code futex_waitv} call on every pipe's futex word and on one word of this JVM's,
 * {@code ARRIVALS}, that {@link #signal()} bumps and wakes when such a wait is under way: whichever
 * comes first ends the sleep. Announcing comes first and the readiness check after it (Dekker), on
 * both paths, so no arrival between the check and the sleep is missed. Each sleep lasts at most
 * {@link ByteRing#SLICE_NANOS}, after which the pipes' peers are checked for liveness. Without
 * {@code futex_waitv} (Linux before 5.16) the wait sleeps on {@code ARRIVALS} in slices of
 * {@link #FALLBACK_SLICE_NANOS} and looks at the pipes after each.
 */
public final class Readiness {
    static final long FALLBACK_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final ReentrantLock ANY = new ReentrantLock();
    private static final Condition ARRIVED = ANY.newCondition();
    private static final MemorySegment ARRIVALS = Arena.global().allocate(8, 8); // int futex word | int sleepers

    private Readiness() {}

    /** A socket's frame (or its end of file) arrived: wakes every wait that may be looking at it. */
    static void signal() {
        ANY.lock();
        try {
            ARRIVED.signalAll();
        } finally {
            ANY.unlock();
        }
        VarHandle.fullFence(); // the arrival before the read of the sleepers (Dekker with awaitPipes)
        if ((int) INT.getAcquire(ARRIVALS, 4L) > 0) {
            INT.getAndAdd(ARRIVALS, 0L, 1);
            Futex.wake(ARRIVALS.asSlice(0, 4), Integer.MAX_VALUE);
        }
    }

    /** {@link Connection#waitAny}: those with a message or at end of file, within {@code timeout}. */
    public static List<Connection> waitAny(Collection<Connection> connections, Duration timeout) {
        Objects.requireNonNull(connections, "connections");
        long deadline = System.nanoTime() + Math.max(0, Objects.requireNonNull(timeout, "timeout").toNanos());
        List<Connection> all = List.copyOf(connections);
        List<PipeEnd> pipes = new ArrayList<>();
        for (Connection c : all) {
            if (c instanceof PipeEnd p) {
                pipes.add(p);
            }
        }
        if (pipes.isEmpty()) {
            return awaitSockets(all, deadline);
        }
        if (pipes.size() + 1 > Futex.MAX_WAITV) {
            throw new IllegalArgumentException("waitAny takes at most " + (Futex.MAX_WAITV - 1) + " pipe ends, was "
                    + pipes.size());
        }
        ShmPipe[] mapped = new ShmPipe[pipes.size()];
        try {
            for (int i = 0; i < mapped.length; i++) {
                mapped[i] = pipes.get(i).enterForWait();
            }
            return awaitPipes(all, pipes, mapped, deadline);
        } finally {
            for (ShmPipe p : mapped) {
                if (p != null) {
                    p.exit();
                }
            }
        }
    }

    private static List<Connection> ready(List<Connection> all, List<PipeEnd> pipes, ShmPipe[] mapped) {
        List<Connection> ready = new ArrayList<>();
        for (Connection c : all) {
            boolean yes;
            if (c instanceof SocketConnection s) {
                yes = s.ready();
            } else if (c instanceof PipeEnd p) {
                ShmPipe m = mapped == null ? null : mapped[pipes.indexOf(p)];
                yes = m == null || p.ready(m);
            } else {
                yes = c.poll(Duration.ZERO);
            }
            if (yes) {
                ready.add(c);
            }
        }
        return ready;
    }

    private static List<Connection> awaitSockets(List<Connection> all, long deadline) {
        ANY.lock();
        try {
            while (true) {
                List<Connection> ready = ready(all, List.of(), null);
                long left = deadline - System.nanoTime();
                if (!ready.isEmpty() || left <= 0) {
                    return ready;
                }
                ARRIVED.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            ANY.unlock();
        }
    }

    private static List<Connection> awaitPipes(List<Connection> all, List<PipeEnd> pipes, ShmPipe[] mapped,
            long deadline) {
        MemorySegment[] words = new MemorySegment[pipes.size() + 1];
        int[] observed = new int[words.length];
        words[0] = ARRIVALS.asSlice(0, 4);
        while (true) {
            List<Connection> ready = ready(all, pipes, mapped);
            long left = deadline - System.nanoTime();
            if (!ready.isEmpty() || left <= 0) {
                return ready;
            }
            INT.getAndAdd(ARRIVALS, 4L, 1);
            for (int i = 0; i < mapped.length; i++) {
                ByteRing ring = pipes.get(i).inbound(mapped[i]);
                observed[i + 1] = ring.announceReader();
                words[i + 1] = ring.dataWord();
            }
            try {
                observed[0] = (int) INT.getAcquire(ARRIVALS, 0L);
                ready = ready(all, pipes, mapped);
                if (!ready.isEmpty()) {
                    return ready;
                }
                long slice = Math.min(left, ByteRing.SLICE_NANOS);
                if (Futex.awaitAny(words, observed, slice) == Futex.Wake.UNSUPPORTED) {
                    Futex.sleep(words[0], observed[0], Math.min(slice, FALLBACK_SLICE_NANOS));
                }
            } finally {
                INT.getAndAdd(ARRIVALS, 4L, -1);
                for (int i = 0; i < mapped.length; i++) {
                    pipes.get(i).inbound(mapped[i]).withdrawReader();
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                return ready(all, pipes, mapped);
            }
        }
    }
}
