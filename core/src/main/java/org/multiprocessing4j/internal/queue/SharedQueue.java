package org.multiprocessing4j.internal.queue;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.QueueWaitEvent;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.shm.Segments;
import org.multiprocessing4j.internal.wire.ByteReader;
import org.multiprocessing4j.internal.wire.ByteWriter;
import org.multiprocessing4j.internal.wire.RawHandle;
import org.multiprocessing4j.internal.wire.ValueCodec;

/**
 * The {@link ProcessQueue} of the local backend: objects, serialized, on a {@link Ring}.
 *
 * <p><b>Concurrency.</b> Any thread of any process attached may call anything; the ring is the only
 * state. <b>Lifecycle.</b> Open until {@link #close()} in this process; serialized, it carries the
 * segment's name and re-attaches in the process that reads it (a new handle on that process's one
 * mapping of the segment, {@link Segment}); a queue serialized here and closed here before it arrived
 * stays for the process it went to.
 */
public class SharedQueue<E> extends AbstractQueue<E> implements ProcessQueue<E>, Serializable, RawHandle {
    /** How many elements {@link #toString()} shows at most. */
    static final int SHOWN = 100;
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final boolean joinable;
    private final transient Ring ring;
    private transient volatile boolean closed;

    SharedQueue(Ring ring, boolean joinable) {
        this.ring = ring;
        this.name = ring.name();
        this.joinable = joinable;
    }

    /** A new queue of at most {@code maxsize} elements, in a ring of the default size. */
    public static <E> SharedQueue<E> create(boolean joinable, int maxsize) {
        return create(joinable, maxsize, Ring.DEFAULT_SLOTS);
    }

    /** As {@link #create(boolean, int)}, with a ring of {@code slots} 64-byte slots (a power of two). */
    public static <E> SharedQueue<E> create(boolean joinable, int maxsize, int slots) {
        if (maxsize < 1) {
            throw new IllegalArgumentException("maxsize must be ≥ 1, was " + maxsize);
        }
        Ring ring = Ring.create(Segments.newName(joinable ? "jqueue" : "queue"), joinable, maxsize, slots);
        return joinable ? new Joinable<>(ring) : new SharedQueue<>(ring, false);
    }

    static <E> SharedQueue<E> open(String name, boolean joinable) {
        Ring ring = Ring.open(name, joinable);
        return joinable ? new Joinable<>(ring) : new SharedQueue<>(ring, false);
    }

    private Ring ring() {
        if (closed) {
            throw new IllegalStateException("queue " + name + " is closed in this process");
        }
        return ring;
    }

    private Object prepare(E e) {
        Objects.requireNonNull(e, "a queue holds no null elements");
        try {
            return ring().prepare(e);
        } catch (IOException x) {
            throw new IllegalArgumentException("cannot serialize " + e.getClass().getName() + ": " + x, x);
        }
    }

    /** What the ring handed out: the element, or its encoding still to be decoded. */
    @SuppressWarnings("unchecked")
    private E decode(Object value) {
        if (!(value instanceof Ring.Encoded encoded)) {
            return (E) value;
        }
        try {
            return (E) ValueCodec.decode(encoded.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deserialize an element of queue " + name, e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot deserialize an element of queue " + name + ": " + e, e);
        }
    }

    private boolean put(E e, long timeoutNanos) throws InterruptedException {
        Object prepared = prepare(e);
        boolean done = false;
        try {
            done = ring.put(prepared, timeoutNanos);
            return done;
        } finally {
            if (!done) {
                ring.discard(prepared);
            }
        }
    }

    /** Waits until there is room; when it returns, the element is in shared memory. */
    @Override
    public void put(E e) throws InterruptedException {
        if (Events.recording()) {
            recordedPut(e, -1);
            return;
        }
        put(e, -1);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        return Events.recording() ? recordedPut(e, nanos) : put(e, nanos);
    }

    /** False if the queue holds {@code maxsize} elements or its ring has no room for this one. */
    @Override
    public boolean offer(E e) {
        try {
            return put(e, 0);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public E take() throws InterruptedException {
        return Events.recording() ? recordedTake(-1) : decode(ring().take(-1));
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        return Events.recording() ? recordedTake(nanos) : decode(ring().take(nanos));
    }

    /** A blocking put under JFR: an {@link QueueWaitEvent} if it waited past the event's threshold. */
    private boolean recordedPut(E e, long timeoutNanos) throws InterruptedException {
        QueueWaitEvent event = new QueueWaitEvent();
        event.begin();
        try {
            return put(e, timeoutNanos);
        } finally {
            commit(event, timeoutNanos < 0 ? "put" : "offer");
        }
    }

    private E recordedTake(long timeoutNanos) throws InterruptedException {
        QueueWaitEvent event = new QueueWaitEvent();
        event.begin();
        try {
            return decode(ring().take(timeoutNanos));
        } finally {
            commit(event, timeoutNanos < 0 ? "take" : "poll");
        }
    }

    private void commit(QueueWaitEvent event, String operation) {
        event.end();
        if (event.shouldCommit()) {
            event.queue = name;
            event.operation = operation;
            event.commit();
        }
    }

    @Override
    public E poll() {
        return decode(ring().poll(true));
    }

    /** The head now, as a copy; null if empty. Another process may take it at any moment. */
    @Override
    public E peek() {
        List<Object> all = ring().snapshot();
        return all.isEmpty() ? null : decode(all.get(0));
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, ring().count());
    }

    /** {@code maxsize} minus {@link #size()}; {@link Integer#MAX_VALUE} for an unbounded queue. */
    @Override
    public int remainingCapacity() {
        long max = ring().maxsize();
        return max >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, max - ring.count());
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (maxElements <= 0) {
            return 0;
        }
        List<Object> values = new ArrayList<>(Math.min(maxElements, 1024));
        int n = ring().drain(maxElements, values);
        for (Object value : values) {
            c.add(decode(value));
        }
        return n;
    }

    /**
     * A snapshot: copies of the elements in the queue now, head first. Its {@code remove} throws
     * {@link UnsupportedOperationException}.
     */
    @Override
    public Iterator<E> iterator() {
        List<E> copies = new ArrayList<>();
        for (Object value : ring().snapshot()) {
            copies.add(decode(value));
        }
        return java.util.Collections.unmodifiableList(copies).iterator();
    }

    /** Not supported: elements cannot be removed from the middle of the ring. */
    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("a process queue removes from its head only");
    }

    @Override
    public void joinThread() {
        ring();
    }

    @Override
    public void cancelJoinThread() {
        ring();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            ring.close();
        }
    }

    /** The segment's name. */
    public String name() {
        return name;
    }

    /**
     * As {@link java.util.AbstractCollection#toString()}: the elements, head first, in brackets
     * ({@code "[a, b]"}), at most {@value #SHOWN} of them, then {@code ", ..."} if there are more.
     * A snapshot, as {@link #iterator()}.
     */
    @Override
    public String toString() {
        if (closed) {
            return "[closed " + (joinable ? "JoinableQueue " : "ProcessQueue ") + name + "]";
        }
        List<Object> values = ring().snapshot(SHOWN + 1);
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < Math.min(SHOWN, values.size()); i++) {
            if (i > 0) {
                text.append(", ");
            }
            E e = decode(values.get(i));
            text.append(e == this ? "(this Collection)" : String.valueOf(e));
        }
        return text.append(values.size() > SHOWN ? ", ...]" : "]").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedQueue<?> q && q.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Serial
    protected final Object writeReplace() {
        ring.handOff(); // kept for the process it goes to, should this one close it first
        return new Ref(name, joinable);
    }

    /** The serialized form: the segment's name only. */
    private record Ref(String name, boolean joinable) implements Serializable {
        @Serial
        private Object readResolve() {
            try {
                return SharedQueue.open(name, joinable);
            } finally {
                Segment.arrived(name);
            }
        }
    }

    @Override
    public byte handleKind() {
        return RawHandle.QUEUE;
    }

    @Override
    public void writeHandle(ByteWriter out) {
        Ref ref = (Ref) writeReplace();
        out.writeString(ref.name()).writeBoolean(ref.joinable());
    }

    /**
     * A handle {@link #writeHandle} wrote, attached in this process as its serial form's {@code readResolve}
     * does, once the serial filter allows that form's class.
     *
     * @throws IOException if the bytes are cut short, or the filter refuses the class
     */
    public static SharedQueue<?> readHandle(ByteReader in) throws IOException {
        RawHandle.requireAllowed(Ref.class);
        return (SharedQueue<?>) new Ref(in.readString(), in.readBoolean()).readResolve();
    }

    /** The joinable flavour: the ring counts unfinished elements. */
    static final class Joinable<E> extends SharedQueue<E> implements JoinableQueue<E> {
        @Serial
        private static final long serialVersionUID = 1L;

        Joinable(Ring ring) {
            super(ring, true);
        }

        @Override
        public void taskDone() {
            ringOf(this).taskDone();
        }

        @Override
        public void join() throws InterruptedException {
            ringOf(this).join();
        }
    }

    private static Ring ringOf(SharedQueue<?> q) {
        return q.ring();
    }
}
