package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The proxy of a manager's {@code list()}: every method runs on the server's synchronized list, except
 * iterators, streams, {@code forEach} and {@code toArray(IntFunction)}, which work on a snapshot here.
 * {@code subList} and {@code reversed} are copies.
 */
@SuppressWarnings("unchecked")
final class ListProxy<E> extends RemoteObject implements List<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    ListProxy(Calls calls, String id) {
        super(calls, id);
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
    public boolean contains(Object o) {
        return (Boolean) call("contains(java.lang.Object)", o);
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
    public boolean addAll(int index, Collection<? extends E> c) {
        return (Boolean) call("addAll(int,java.util.Collection)", index, c);
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
    public void replaceAll(UnaryOperator<E> operator) {
        call("replaceAll(java.util.function.UnaryOperator)", operator);
    }

    @Override
    public void sort(Comparator<? super E> c) {
        call("sort(java.util.Comparator)", c);
    }

    @Override
    public void clear() {
        call("clear()");
    }

    @Override
    public E get(int index) {
        return (E) call("get(int)", index);
    }

    @Override
    public E set(int index, E element) {
        return (E) call("set(int,java.lang.Object)", index, element);
    }

    @Override
    public void add(int index, E element) {
        call("add(int,java.lang.Object)", index, element);
    }

    @Override
    public E remove(int index) {
        return (E) call("remove(int)", index);
    }

    @Override
    public int indexOf(Object o) {
        return (Integer) call("indexOf(java.lang.Object)", o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return (Integer) call("lastIndexOf(java.lang.Object)", o);
    }

    @Override
    public ListIterator<E> listIterator() {
        return (ListIterator<E>) snapshot().listIterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return (ListIterator<E>) snapshot().listIterator(index);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return (List<E>) call("subList(int,int)", fromIndex, toIndex);
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

    @Override
    public void addFirst(E e) {
        call("addFirst(java.lang.Object)", e);
    }

    @Override
    public void addLast(E e) {
        call("addLast(java.lang.Object)", e);
    }

    @Override
    public E getFirst() {
        return (E) call("getFirst()");
    }

    @Override
    public E getLast() {
        return (E) call("getLast()");
    }

    @Override
    public E removeFirst() {
        return (E) call("removeFirst()");
    }

    @Override
    public E removeLast() {
        return (E) call("removeLast()");
    }

    @Override
    public List<E> reversed() {
        return (List<E>) call("reversed()");
    }
}
