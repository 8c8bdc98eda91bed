package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The proxy of a manager's {@code queue()}: every method runs on the server's {@code LinkedBlockingQueue}
 * ({@code take} and {@code put} block there), except iterators, streams, {@code forEach} and
 * {@code toArray(IntFunction)}, which work on a snapshot here.
 */
@SuppressWarnings("unchecked")
final class QueueProxy<E> extends RemoteObject implements BlockingQueue<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    QueueProxy(Calls calls, String id) {
        super(calls, id);
    }

    @Override
    public boolean add(E e) {
        return (Boolean) call("add(java.lang.Object)", e);
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
    public boolean remove(Object o) {
        return (Boolean) call("remove(java.lang.Object)", o);
    }

    @Override
    public boolean contains(Object o) {
        return (Boolean) call("contains(java.lang.Object)", o);
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return (Integer) call("drainTo(java.util.Collection)", c);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        return (Integer) call("drainTo(java.util.Collection,int)", c, maxElements);
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

    @Override
    public int size() {
        return (Integer) call("size()");
    }

    @Override
    public boolean isEmpty() {
        return (Boolean) call("isEmpty()");
    }

    @Override
    public Iterator<E> iterator() {
        return (Iterator<E>) snapshot().iterator();
    }

    @Override
    public Object[] toArray() {
        return (Object[]) call("toArray()");
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return (T[]) call("toArray([Ljava.lang.Object;)", (Object) a);
    }

    @Override
    public <T> T[] toArray(IntFunction<T[]> generator) {
        Object[] all = toArray();
        return (T[]) Arrays.copyOf(all, all.length, generator.apply(0).getClass());
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        return (Boolean) call("containsAll(java.util.Collection)", c);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return (Boolean) call("addAll(java.util.Collection)", c);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return (Boolean) call("removeAll(java.util.Collection)", c);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return (Boolean) call("removeIf(java.util.function.Predicate)", filter);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return (Boolean) call("retainAll(java.util.Collection)", c);
    }

    @Override
    public void clear() {
        call("clear()");
    }

    @Override
    public Spliterator<E> spliterator() {
        return (Spliterator<E>) snapshot().spliterator();
    }

    @Override
    public Stream<E> stream() {
        return (Stream<E>) snapshot().stream();
    }

    @Override
    public Stream<E> parallelStream() {
        return (Stream<E>) snapshot().parallelStream();
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        ((List<E>) snapshot()).forEach(action);
    }
}
