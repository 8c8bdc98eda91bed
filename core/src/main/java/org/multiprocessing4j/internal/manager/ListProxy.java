package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ListIterator;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The proxy of a manager's {@code list()}: every method runs on the server's synchronized list, except
 * iterators, streams, {@code forEach} and {@code toArray(IntFunction)}, which work on a snapshot here.
 * {@code subList} and {@code reversed} are copies.
 */
@SuppressWarnings("unchecked")
final class ListProxy<E> extends CollectionProxy<E> implements List<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    ListProxy(Calls calls, String id) {
        super(calls, id);
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return (Boolean) call("addAll(int,java.util.Collection)", index, c);
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
        return snapshot().listIterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return snapshot().listIterator(index);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return (List<E>) call("subList(int,int)", fromIndex, toIndex);
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
