package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * What a dynamic proxy of a shared object of a registered type does with a call: sends it to the
 * server (a built-in type's proxy is a class of its own, {@link RemoteObject}). Calls that would
 * hand out a live view here (iterators, streams, {@code forEach}) work on a snapshot instead, so that
 * their functions run in the caller and need not be serializable.
 *
 * <p>A proxy is serialized as its server's address and its object's id (never the object): received
 * in another process, it reaches the same object, with that process's authkey (inherited from the
 * parent) or the key that process gave {@code Manager.connect} for that address. Like a built-in
 * proxy, it holds one reference to its object while it is reachable and not released
 * ({@link References}).
 */
final class RemoteHandler implements InvocationHandler, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] NONE = {};
    /** The names of the methods {@link #invokeHere} may answer in this process. */
    private static final Set<String> LOCAL = Set.of("equals", "iterator", "spliterator", "stream", "parallelStream",
            "listIterator", "forEach", "toArray");

    private final String address;
    private final String id;
    private final String iface;
    private transient volatile Endpoint endpoint;
    private transient volatile Cleaner.Cleanable reference;
    private transient volatile boolean released;

    RemoteHandler(Endpoint endpoint, String id, String iface) {
        this.endpoint = endpoint;
        this.address = endpoint.address();
        this.id = id;
        this.iface = iface;
    }

    /** A proxy of an object just created, whose reference the server has counted for it. */
    static <T> T proxy(Endpoint endpoint, Messages.Ref ref, Class<T> iface) {
        RemoteHandler handler = new RemoteHandler(endpoint, ref.id(), iface.getName());
        handler.reference = References.created(handler, endpoint, ref.id());
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader() == null ? RemoteHandler.class.getClassLoader()
                : iface.getClassLoader(), new Class<?>[] {iface}, handler));
    }

    /** Drops the proxy's reference now; its calls fail from then on. Idempotent. */
    void dropReference() {
        released = true;
        Cleaner.Cleanable r = reference;
        if (r != null) {
            r.clean();
        }
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        References.sent(address, id);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        reference = References.adopted(this, address, id);
    }

    private Endpoint endpoint() {
        if (released) {
            throw new IllegalStateException("this proxy of shared object " + id + " at " + address + " was released");
        }
        Endpoint e = endpoint;
        if (e == null) {
            e = Endpoint.of(address);
            endpoint = e;
        }
        return e;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (LOCAL.contains(method.getName())) {
            Object[] answer = invokeHere(proxy, method, args);
            if (answer != null) {
                return answer[0];
            }
        }
        return endpoint().call(id, method, args);
    }

    /**
     * The calls answered in this process (on a snapshot, or by comparing proxies), as a one-element
     * array; {@code null} if this call goes to the server after all. Kept out of {@link #invoke}, whose
     * every call is a remote one, so that the common path stays small for the JIT.
     */
    private Object[] invokeHere(Object proxy, Method method, Object[] args) throws Throwable {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "equals" -> {
                if (arity == 1 && args[0] == proxy) {
                    return new Object[] {true};
                }
                if (arity == 1 && args[0] != null && Proxy.isProxyClass(args[0].getClass())
                        && Proxy.getInvocationHandler(args[0]) instanceof RemoteHandler other
                        && other.address.equals(address) && other.id.equals(id)) {
                    return new Object[] {true};
                }
            }
            case "iterator", "spliterator", "stream", "parallelStream" -> {
                if (arity == 0 && proxy instanceof Collection<?>) {
                    List<Object> snapshot = snapshot();
                    return new Object[] {switch (method.getName()) {
                        case "iterator" -> snapshot.iterator();
                        case "spliterator" -> snapshot.spliterator();
                        case "stream" -> snapshot.stream();
                        default -> snapshot.parallelStream();
                    }};
                }
            }
            case "listIterator" -> {
                if (proxy instanceof List<?>) {
                    return new Object[] {arity == 0 ? snapshot().listIterator() : snapshot().listIterator((Integer) args[0])};
                }
            }
            case "forEach" -> {
                if (arity == 1 && proxy instanceof Collection<?> && args[0] instanceof Consumer<?> action) {
                    @SuppressWarnings("unchecked") Consumer<Object> a = (Consumer<Object>) action;
                    snapshot().forEach(a);
                    return new Object[] {null};
                }
                if (arity == 1 && proxy instanceof Map<?, ?> map && args[0] instanceof BiConsumer<?, ?> action) {
                    @SuppressWarnings("unchecked") BiConsumer<Object, Object> a = (BiConsumer<Object, Object>) action;
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        a.accept(e.getKey(), e.getValue());
                    }
                    return new Object[] {null};
                }
            }
            case "toArray" -> {
                if (arity == 1 && args[0] instanceof IntFunction<?> generator) {
                    Object[] all = snapshot().toArray();
                    Object[] into = (Object[]) generator.apply(0);
                    return new Object[] {Arrays.copyOf(all, all.length, into.getClass())};
                }
            }
            default -> { }
        }
        return null;
    }

    private List<Object> snapshot() throws Throwable {
        Object[] all = (Object[]) endpoint().call(id, "toArray()", null, NONE);
        return java.util.Collections.unmodifiableList(Arrays.asList(all));
    }

    @Override
    public String toString() {
        return "proxy of " + iface + " " + id + " at " + address;
    }
}
