package org.multiprocessing4j.internal.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.internal.shm.Futex;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.shm.SharedWait;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;

/**
 * An event flag in a shared segment ({@link EventLayout}).
 *
 * <p><b>Implementation notes.</b> A waiter registers in {@code WAITERS}, then sleeps on {@code FLAG}
 * while it reads 0; {@code set()} swaps {@code FLAG} to 1 and, if it was 0 and someone sleeps, wakes
 * them all with one {@code futex_wake}. Both sides use sequentially consistent operations, so either
 * the setter sees the waiter or the kernel's compare sees the flag. Sleeps are chunked
 * ({@value Pids#CHUNK_NANOS} ns) only so that interrupts are seen; a set wakes at once.
 */
public final class ShmEvent implements ProcessEvent, Serializable, RawHandle {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final String name;
    private final transient Segment segment;
    private final transient MemorySegment memory;
    private final transient MemorySegment flagWord;

    private ShmEvent(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.memory = segment.payload();
        this.flagWord = Pids.word(memory, EventLayout.FLAG_OFFSET);
    }

    public static ShmEvent create() {
        Segment segment = Segment.create(Segments.newName("event"), Kinds.EVENT, EventLayout.SIZE);
        Pids.writeHeader(segment.payload(), EventLayout.MAGIC, EventLayout.VERSION);
        return new ShmEvent(segment);
    }

    public static ShmEvent open(String name) {
        return new ShmEvent(Pids.attach(name, Kinds.EVENT, EventLayout.MAGIC, EventLayout.VERSION, "event"));
    }

    @Override
    public void set() {
        if ((int) INT.getAndSet(memory, EventLayout.FLAG_OFFSET, 1) == 0
                && (int) INT.getVolatile(memory, EventLayout.WAITERS_OFFSET) > 0) {
            Futex.wake(flagWord, Integer.MAX_VALUE);
        }
    }

    @Override
    public void clear() {
        INT.setVolatile(memory, EventLayout.FLAG_OFFSET, 0);
    }

    @Override
    public boolean isSet() {
        return (int) INT.getVolatile(memory, EventLayout.FLAG_OFFSET) != 0;
    }

    @Override
    public void await() throws InterruptedException {
        waitFor(false, 0);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return waitFor(true, System.nanoTime() + timeout.toNanos());
    }

    private boolean waitFor(boolean timed, long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (isSet()) {
            return true;
        }
        SharedWait wait = new SharedWait(Pids.CHUNKED, memory, EventLayout.FLAG_OFFSET, EventLayout.WAITERS_OFFSET) {
            @Override
            protected boolean ready(boolean announced) {
                return isSet();
            }
        };
        return switch (wait.await(timed, deadline)) {
            case READY -> true;
            case TIMED_OUT -> false;
            case INTERRUPTED -> throw new InterruptedException();
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        segment.close();
    }

    @Serial
    private Object writeReplace() {
        segment.handOff(); // kept for the process it goes to, should this one close it first
        return new Ref(name);
    }

    private record Ref(String name) implements Serializable {
        @Serial
        private Object readResolve() {
            try {
                return ShmEvent.open(name);
            } finally {
                Segment.arrived(name);
            }
        }
    }

    @Override
    public byte handleKind() {
        return RawHandle.EVENT;
    }

    @Override
    public void writeHandle(ByteWriter out) {
        out.writeString(((Ref) writeReplace()).name());
    }

    /**
     * A handle {@link #writeHandle} wrote, attached in this process as its serial form's {@code readResolve}
     * does, once the serial filter allows that form's class.
     *
     * @throws IOException if the bytes are cut short, or the filter refuses the class
     */
    public static ShmEvent readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return (ShmEvent) new Ref(in.readString()).readResolve();
    }

    @Override
    public String toString() {
        return "Event[" + name + "]";
    }
}
