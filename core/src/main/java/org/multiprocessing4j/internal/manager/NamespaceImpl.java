package org.multiprocessing4j.internal.manager;

import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.multiprocessing4j.Namespace;

/** A namespace on the server. <b>Concurrency.</b> Every method holds this object's monitor. */
final class NamespaceImpl implements Namespace {
    private final Map<String, Object> attributes = new HashMap<>(); // guarded by this

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(String name) {
        if (!attributes.containsKey(name)) {
            throw new NoSuchElementException("the namespace has no attribute '" + name + "'");
        }
        return (T) attributes.get(name);
    }

    @Override
    public synchronized void set(String name, Object value) {
        attributes.put(java.util.Objects.requireNonNull(name, "name"), value);
    }

    @Override
    public synchronized boolean has(String name) {
        return attributes.containsKey(name);
    }

    @Override
    public synchronized void remove(String name) {
        attributes.remove(name);
    }

    @Override
    public synchronized Map<String, Object> toMap() {
        return new HashMap<>(attributes);
    }

    @Override
    public synchronized String toString() {
        return "Namespace" + attributes;
    }
}
