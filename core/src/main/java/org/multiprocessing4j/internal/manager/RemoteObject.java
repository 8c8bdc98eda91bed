package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;

/**
 * A proxy of a shared object of a built-in type (a dict, a list, a queue …): a class of this library
 * per interface, whose every method sends its call to the server, except those that would hand out a
 * live view (iterators, streams, {@code forEach}), which work on a snapshot here. A registered type's
 * proxy is a dynamic one ({@link RemoteHandler}); a built-in type's is not, so that a process that
 * receives one loads a class instead of generating one (tens of milliseconds in a new JVM).
 *
 * <p>Serialized, a proxy is its server's address and its object's id, never the object; received in
 * another process, it reaches the same object with that process's key for the address
 * ({@link Endpoint#of(String)}).
 *
 * <p><b>Concurrency.</b> Thread-safe: the endpoint holds a connection per call in flight.
 */
abstract class RemoteObject implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] UNCHECKED = {};
    private static final Class<?>[] INTERRUPTIBLE = {InterruptedException.class};

    private final String address;
    private final String id;
    private transient volatile Calls calls;

    RemoteObject(Calls calls, String id) {
        this.calls = calls;
        this.address = calls.address();
        this.id = id;
    }

    final String address() {
        return address;
    }

    final String id() {
        return id;
    }

    private Calls calls() {
        Calls c = calls;
        if (c == null) {
            c = Endpoint.of(address);
            calls = c;
        }
        return c;
    }

    /** Calls a method that declares no checked exception. */
    final Object call(String signature, Object... args) {
        try {
            return calls().call(id, signature, args, UNCHECKED);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("unexpected from the manager: " + t, t); // Calls wraps checked ones
        }
    }

    /** Calls a method that declares {@link InterruptedException} (and no other checked exception). */
    final Object callInterruptibly(String signature, Object... args) throws InterruptedException {
        try {
            return calls().call(id, signature, args, INTERRUPTIBLE);
        } catch (RuntimeException | Error | InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("unexpected from the manager: " + t, t);
        }
    }

    /** Equal to every proxy of the same object; else the server compares its object with {@code o}. */
    @Override
    public boolean equals(Object o) {
        if (o == this || (o instanceof RemoteObject r && r.id.equals(id) && r.address.equals(address))) {
            return true;
        }
        return (Boolean) call("equals(java.lang.Object)", o);
    }

    @Override
    public int hashCode() {
        return (Integer) call("hashCode()");
    }

    @Override
    public String toString() {
        return (String) call("toString()");
    }
}
