package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The {@link Collection} methods of a proxy of a shared collection (a manager's {@code list()} or
 * {@code queue()}): each runs on the server's collection, except iterators, streams, {@code forEach}
 * and {@code toArray(IntFunction)}, which work on a snapshot here.
 */
@SuppressWarnings("unchecked")
abstract class CollectionProxy<E> extends ContainerProxy implements Collection<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    CollectionProxy(Calls calls, String id) {
        super(calls, id);
    }

    /** The elements of the shared collection, copied here. */
    final List<E> snapshot() {
        return (List<E>) Collections.unmodifiableList(Arrays.asList(toArray()));
    }

    @Override
    public boolean contains(Object o) {
        return (Boolean) call("contains(java.lang.Object)", o);
    }

    @Override
    public Iterator<E> iterator() {
        return snapshot().iterator();
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
    public boolean add(E e) {
        return (Boolean) call("add(java.lang.Object)", e);
    }

    @Override
    public boolean remove(Object o) {
        return (Boolean) call("remove(java.lang.Object)", o);
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
    public boolean retainAll(Collection<?> c) {
        return (Boolean) call("retainAll(java.util.Collection)", c);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return (Boolean) call("removeIf(java.util.function.Predicate)", filter);
    }

    @Override
    public Spliterator<E> spliterator() {
        return snapshot().spliterator();
    }

    @Override
    public Stream<E> stream() {
        return snapshot().stream();
    }

    @Override
    public Stream<E> parallelStream() {
        return snapshot().parallelStream();
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        snapshot().forEach(action);
    }
}
