package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The proxy of a manager's {@code queue()}: every method runs on the server's {@code LinkedBlockingQueue}
 * ({@code take} and {@code put} block there), except iterators, streams, {@code forEach} and
 * {@code toArray(IntFunction)}, which work on a snapshot here.
 */
@SuppressWarnings("unchecked")
final class QueueProxy<E> extends CollectionProxy<E> implements BlockingQueue<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    QueueProxy(Calls calls, String id) {
        super(calls, id);
    }

    @Override
    public boolean offer(E e) {
        return (Boolean) call("offer(java.lang.Object)", e);
    }

    @Override
    public void put(E e) throws InterruptedException {
        callInterruptibly("put(java.lang.Object)", e);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return (Boolean) callInterruptibly("offer(java.lang.Object,long,java.util.concurrent.TimeUnit)", e, timeout, unit);
    }

    @Override
    public E take() throws InterruptedException {
        return (E) callInterruptibly("take()");
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return (E) callInterruptibly("poll(long,java.util.concurrent.TimeUnit)", timeout, unit);
    }

    @Override
    public int remainingCapacity() {
        return (Integer) call("remainingCapacity()");
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /** The elements come back from the server and are added to {@code c} here. */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        java.util.Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (maxElements <= 0) {
            return 0;
        }
        java.util.List<E> taken = (java.util.List<E>) call("drain(int)", maxElements);
        c.addAll(taken);
        return taken.size();
    }

    @Override
    public E remove() {
        return (E) call("remove()");
    }

    @Override
    public E poll() {
        return (E) call("poll()");
    }

    @Override
    public E element() {
        return (E) call("element()");
    }

    @Override
    public E peek() {
        return (E) call("peek()");
    }
}
