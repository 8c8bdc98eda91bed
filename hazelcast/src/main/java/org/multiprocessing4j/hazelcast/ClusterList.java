package org.multiprocessing4j.hazelcast;

import com.hazelcast.collection.IList;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * {@code manager().list()} on the cluster: an {@code IList} of authenticated frames (one partition,
 * one backup). Each method is one atomic operation; iteration is over a snapshot.
 */
final class ClusterList<E> extends AbstractList<E> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final NodeRef nodeRef;
    private final String name;

    ClusterList(ClusterNode node, String name) {
        this.nodeRef = new NodeRef(node);
        this.name = name;
    }

    private ClusterNode node() {
        return nodeRef.get();
    }

    private IList<byte[]> list() {
        return node().hz.getList(name);
    }

    @SuppressWarnings("unchecked")
    private E open(byte[] frame) {
        return frame == null ? null : (E) node().open(frame);
    }

    private byte[] seal(Object e) {
        return node().seal(Objects.requireNonNull(e, "a cluster list holds no null"));
    }

    @Override
    public E get(int index) {
        return open(list().get(index));
    }

    @Override
    public E set(int index, E element) {
        return open(list().set(index, seal(element)));
    }

    @Override
    public void add(int index, E element) {
        list().add(index, seal(element));
    }

    @Override
    public boolean add(E element) {
        return list().add(seal(element));
    }

    @Override
    public E remove(int index) {
        return open(list().remove(index));
    }

    @Override
    public int size() {
        return list().size();
    }

    @Override
    public void clear() {
        list().clear();
    }

    private List<E> snapshot() {
        List<E> copy = new ArrayList<>();
        for (byte[] frame : list()) {
            copy.add(open(frame));
        }
        return copy;
    }

    /** A snapshot; its {@code remove} is not supported. */
    @Override
    public Iterator<E> iterator() {
        return Collections.unmodifiableList(snapshot()).iterator();
    }

    @Override
    public int indexOf(Object o) {
        return snapshot().indexOf(o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return snapshot().lastIndexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return snapshot().contains(o);
    }

    @Override
    public boolean remove(Object o) {
        return o != null && list().remove(seal(o));
    }

    /** Removes every element {@code filter} accepts, one by one (not atomically as a whole). */
    @Override
    public boolean removeIf(java.util.function.Predicate<? super E> filter) {
        Objects.requireNonNull(filter, "filter");
        boolean removed = false;
        for (E e : snapshot()) {
            if (filter.test(e)) {
                removed |= list().remove(seal(e));
            }
        }
        return removed;
    }

    @Override
    public boolean removeAll(java.util.Collection<?> c) {
        Objects.requireNonNull(c, "c");
        return removeIf(c::contains);
    }

    @Override
    public boolean retainAll(java.util.Collection<?> c) {
        Objects.requireNonNull(c, "c");
        return removeIf(e -> !c.contains(e));
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
