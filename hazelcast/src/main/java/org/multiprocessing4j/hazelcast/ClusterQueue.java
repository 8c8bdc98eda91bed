package org.multiprocessing4j.hazelcast;

import com.hazelcast.collection.IQueue;
import java.io.Serializable;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.JoinableQueue;

/**
 * A queue on the cluster: a Hazelcast {@code IQueue} (one synchronous backup) of authenticated frames,
 * each element checked before it is deserialized. Bounded as asked (the queue's {@code max-size}).
 * As a {@link JoinableQueue} it keeps the cluster-wide count of unfinished elements in the state map.
 * Serializable: a task that captures it uses the same queue on the member.
 */
final class ClusterQueue<E> extends AbstractQueue<E> implements JoinableQueue<E>, Serializable {
    /** How many elements {@link #toString()} shows. */
    private static final int SHOWN = 100;
    private static final long serialVersionUID = 1L;

    private final NodeRef nodeRef;
    private final String name;
    private final int capacity;
    private final boolean joinable;
    private transient volatile boolean closed;
    /** The Hazelcast proxy, looked up once per process (a lookup per element costs a map search and a check). */
    private transient volatile IQueue<byte[]> proxy;

    ClusterQueue(ClusterNode node, int capacity, boolean joinable) {
        if (capacity < 1) {
            throw new IllegalArgumentException("maxsize must be ≥ 1, was " + capacity);
        }
        this.nodeRef = new NodeRef(node);
        this.name = ClusterNode.newName("queue");
        this.capacity = capacity;
        this.joinable = joinable;
        if (capacity != Integer.MAX_VALUE) {
            node.hz.getConfig().addQueueConfig(new com.hazelcast.config.QueueConfig(name).setMaxSize(capacity));
        }
        if (joinable) {
            node.create(name, new long[] {0});
        }
    }

    private ClusterNode node() {
        if (closed) {
            throw new IllegalStateException("the queue " + name + " was closed in this process");
        }
        return nodeRef.get();
    }

    private IQueue<byte[]> queue() {
        ClusterNode n = node();
        IQueue<byte[]> q = proxy;
        if (q == null) {
            q = n.hz.getQueue(name);
            proxy = q;
        }
        return q;
    }

    private byte[] seal(E e) {
        Objects.requireNonNull(e, "element");
        return node().seal(e);
    }

    @SuppressWarnings("unchecked")
    private E open(byte[] frame) {
        return frame == null ? null : (E) node().open(frame);
    }

    private void added() {
        if (joinable) {
            node().op(name, StateOp.ADD, 0, 1, 0);
        }
    }

    private void notAdded() {
        if (joinable) {
            node().op(name, StateOp.ADD, 0, -1, 0);
        }
    }

    @Override
    public boolean offer(E e) {
        byte[] frame = seal(e);
        added();
        boolean in = queue().offer(frame);
        if (!in) {
            notAdded();
        }
        return in;
    }

    @Override
    public void put(E e) throws InterruptedException {
        byte[] frame = seal(e);
        added();
        try {
            queue().put(frame);
        } catch (InterruptedException ex) {
            notAdded();
            throw ex;
        } catch (RuntimeException ex) {
            notAdded();
            throw interrupted(ex);
        }
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        byte[] frame = seal(e);
        added();
        boolean in;
        try {
            in = queue().offer(frame, Math.max(0, timeout), unit); // Hazelcast waits forever on a negative timeout
        } catch (InterruptedException ex) {
            notAdded();
            throw ex;
        } catch (RuntimeException ex) {
            notAdded();
            throw interrupted(ex);
        }
        if (!in) {
            notAdded();
        }
        return in;
    }

    @Override
    public E take() throws InterruptedException {
        try {
            return open(queue().take());
        } catch (RuntimeException e) {
            throw interrupted(e);
        }
    }

    /**
     * Hazelcast's client reports an interrupt during a blocking call as a {@code HazelcastException}
     * whose cause is the {@link InterruptedException}: {@link java.util.concurrent.BlockingQueue} says
     * it is the {@code InterruptedException} itself.
     */
    static InterruptedException interrupted(RuntimeException e) {
        if (e.getCause() instanceof InterruptedException ie) {
            Thread.interrupted(); // the status is cleared, as an InterruptedException promises
            return ie;
        }
        throw e;
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            return open(queue().poll(Math.max(0, timeout), unit)); // Hazelcast waits forever on a negative timeout
        } catch (RuntimeException e) {
            throw interrupted(e);
        }
    }

    @Override
    public E poll() {
        return open(queue().poll());
    }

    @Override
    public E peek() {
        return open(queue().peek());
    }

    @Override
    public int size() {
        return queue().size();
    }

    @Override
    public int remainingCapacity() {
        return capacity == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, capacity - size());
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /**
     * One {@code IQueue.drainTo} call for all of them (not a call per element). Every element taken is
     * given to {@code c}; one whose frame is refused is dropped, and the first such refusal is thrown
     * after the others are in {@code c} (as the interface allows: an element that failed may be in
     * neither collection).
     */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (maxElements <= 0) {
            return 0;
        }
        List<byte[]> frames = new ArrayList<>();
        queue().drainTo(frames, maxElements);
        RuntimeException refused = null;
        int n = 0;
        for (byte[] frame : frames) {
            E e;
            try {
                e = open(frame);
            } catch (RuntimeException ex) {
                if (refused == null) {
                    refused = ex;
                }
                continue;
            }
            c.add(e);
            n++;
        }
        if (refused != null) {
            throw refused;
        }
        return n;
    }

    /**
     * All of them in one {@code IQueue.addAll} call when there is room for all; else one by one, as
     * {@link AbstractQueue#addAll} does (those that fit are added, in order, then
     * {@link IllegalStateException}).
     */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot add a queue to itself");
        }
        List<byte[]> frames = new ArrayList<>(c.size());
        for (E e : c) {
            frames.add(seal(e));
        }
        if (frames.isEmpty()) {
            return false;
        }
        if (joinable) {
            node().op(name, StateOp.ADD, 0, frames.size(), 0);
        }
        boolean in = false;
        try {
            in = queue().addAll(frames); // all or none
        } catch (IllegalStateException full) {
            // no room for all (Hazelcast throws, or answers false): one by one below
        } finally {
            if (!in && joinable) {
                node().op(name, StateOp.ADD, 0, -frames.size(), 0);
            }
        }
        return in || super.addAll(c);
    }

    /** A snapshot of the elements (each a copy); its {@code remove} is not supported. */
    @Override
    public Iterator<E> iterator() {
        List<E> copy = new ArrayList<>();
        for (byte[] frame : queue()) {
            copy.add(open(frame));
        }
        return java.util.Collections.unmodifiableList(copy).iterator();
    }

    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("a process queue does not remove an element from its middle");
    }

    @Override
    public void taskDone() {
        if (!joinable) {
            throw new UnsupportedOperationException("not a joinable queue");
        }
        long before = node().op(name, StateOp.DEC_IF_POSITIVE, 0, 0, 0)[0];
        if (before <= 0) {
            throw new IllegalStateException("taskDone() called more times than there were items");
        }
    }

    @Override
    public void join() throws InterruptedException {
        if (!joinable) {
            throw new UnsupportedOperationException("not a joinable queue");
        }
        ClusterNode.Changes changes = node().changes(name);
        while (true) {
            long seen = changes.version();
            if (node().op(name, StateOp.GET, 0, 0, 0)[0] == 0) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            changes.await(seen, Long.MAX_VALUE);
        }
    }

    @Override
    public void joinThread() {}

    @Override
    public void cancelJoinThread() {}

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        // As AbstractQueue shows its elements, head first, but at most SHOWN of a queue that may be huge.
        StringBuilder text = new StringBuilder("[");
        Iterator<E> it = iterator();
        for (int i = 0; it.hasNext(); i++) {
            if (i == SHOWN) {
                return text.append(", ...]").toString();
            }
            E e = it.next();
            text.append(i > 0 ? ", " : "").append(e == this ? "(this Collection)" : String.valueOf(e));
        }
        return text.append("]").toString();
    }
}
