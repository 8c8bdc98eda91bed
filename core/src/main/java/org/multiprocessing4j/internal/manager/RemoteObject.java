package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;

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
 * <p><b>Lifecycle.</b> A proxy holds one reference to its object on the server ({@link References}):
 * from its making, or its deserialization, until {@link #dropReference()} or until it becomes unreachable;
 * the server frees an object no proxy refers to. A released proxy's calls throw
 * {@link IllegalStateException}.
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
    private transient volatile Cleaner.Cleanable reference; // null: not counted (the manager's own object)
    private transient volatile boolean released;

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

    /** Counts this proxy, just made for an object the server has counted for it (by {@code create}). */
    final void counted(Endpoint endpoint) {
        reference = References.created(this, endpoint, id);
    }

    /** Drops this proxy's reference now; its calls fail from then on. Idempotent. */
    final void dropReference() {
        released = true;
        Cleaner.Cleanable r = reference;
        if (r != null) {
            r.clean();
        }
    }

    private Calls calls() {
        if (released) {
            throw new IllegalStateException("this proxy of shared object " + id + " at " + address + " was released");
        }
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

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        if (!id.equals(ManagerServer.ROOT)) {
            References.sent(address, id); // the object outlives the trip, even if this proxy does not
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (!id.equals(ManagerServer.ROOT)) {
            reference = References.adopted(this, address, id);
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
