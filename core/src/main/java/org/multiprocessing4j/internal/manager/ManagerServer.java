package org.multiprocessing4j.internal.manager;

import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.SerializableSupplier;

/**
 * The manager server: a registry of shared objects and the loop that runs their methods for clients
 * (Python's {@code managers.Server}).
 *
 * <p><b>Concurrency.</b> One virtual thread per client connection reads a {@link Messages.Call}, runs
 * it and sends the {@link Messages.Reply}, then reads the next: a connection carries one call at a time,
 * and a call that blocks (a lock, a queue's {@code take}) blocks only its own connection. The shared
 * objects are thread-safe themselves ({@code ConcurrentHashMap}, a synchronized list …).
 *
 * <p><b>Failure.</b> A connection that ends — closed, or its process killed mid-call — ends its
 * thread and releases the locks taken over it; the others carry on. A peer that fails the handshake,
 * a message that cannot be read, an unknown object, type or method are errors for that caller only.
 * Shared objects live until the server ends.
 */
public final class ManagerServer implements ManagerService {
    static final String ROOT = "0";
    private static final ThreadLocal<Peer> CURRENT = new ThreadLocal<>();

    private record Shared(Object target, Class<?> iface, String typeId) {}

    private record Type(SerializableSupplier<?> factory, Class<?> iface) {}

    private final Listener listener;
    private final Map<String, Shared> objects = new ConcurrentHashMap<>();
    private final Map<String, Type> types = new ConcurrentHashMap<>();
    private final Map<String, Method> methods = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopping;

    private ManagerServer(Listener listener) {
        this.listener = listener;
        objects.put(ROOT, new Shared(this, ManagerService.class, "manager"));
        builtin("dict", ConcurrentHashMap::new, ConcurrentMap.class);
        builtin("list", () -> Collections.synchronizedList(new ArrayList<>()), List.class);
        builtin("queue", LinkedBlockingQueue::new, BlockingQueue.class);
        builtin("namespace", NamespaceImpl::new, Namespace.class);
        builtin("event", ServerPrimitives.ServerEvent::new, ProcessEvent.class);
        builtin("lock", () -> new ServerLock(false), RemoteLock.class);
        builtin("rlock", () -> new ServerLock(true), RemoteLock.class);
    }

    private void builtin(String typeId, SerializableSupplier<?> factory, Class<?> iface) {
        types.put(typeId, new Type(factory, iface));
    }

    /** Serves on {@code listener} until {@link #shutdown()}; tells {@code listening} where first. */
    public static void serve(Listener listener, Consumer<? super SocketAddress> listening) {
        ManagerServer server = new ManagerServer(listener);
        listening.accept(listener.address());
        server.acceptLoop();
    }

    private void acceptLoop() {
        while (!stopping) {
            Connection connection;
            try {
                connection = listener.accept();
            } catch (AuthenticationException e) {
                continue; // that peer is refused; the others are served
            } catch (UncheckedIOException e) {
                if (stopping) {
                    return;
                }
                throw e;
            }
            Thread.ofVirtual().name("mp4j-manager-client").start(() -> serveClient(connection));
        }
    }

    /*
     * This thread only reads; each call runs on a thread of its own, which replies. So the end of the
     * connection is seen even while a call blocks (a client killed in lock() or take()): the call is
     * interrupted and the locks taken over the connection are released.
     */
    private void serveClient(Connection connection) {
        Peer peer = new Peer();
        Thread call = null;
        try (connection) {
            while (true) {
                Object message;
                try {
                    message = connection.recv();
                } catch (UncheckedIOException e) {
                    return; // end of file, or the peer died
                } catch (IllegalStateException e) {
                    reply(connection, Messages.Reply.failed(new IllegalArgumentException(
                            "the manager could not read the call: " + e.getMessage())));
                    continue;
                }
                if (call != null) {
                    call.join(); // a client sends its next call after the reply: this is at once
                    call = null;
                }
                if (message instanceof Messages.Call c && !mayBlock(c)) {
                    CURRENT.set(peer);
                    try {
                        reply(connection, run(c)); // a map or list call: no thread hand-off
                    } catch (RuntimeException broken) {
                        return; // the connection broke while replying: this client is gone
                    }
                    continue;
                }
                call = Thread.ofVirtual().name("mp4j-manager-call").start(() -> {
                    CURRENT.set(peer);
                    try {
                        reply(connection, message instanceof Messages.Call c ? run(c)
                                : Messages.Reply.failed(new IllegalArgumentException("not a call: " + message)));
                    } catch (RuntimeException broken) {
                        // the connection broke while replying: this client is gone
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (call != null) {
                call.interrupt();
            }
            peer.end();
        }
    }

    /** Whether a call may wait (a lock, a queue, a user's method): those run on a thread of their own. */
    private boolean mayBlock(Messages.Call call) {
        Shared shared = objects.get(call.objectId());
        return shared == null || !(shared.target() instanceof Map<?, ?> || shared.target() instanceof List<?>
                || shared.target() instanceof NamespaceImpl || shared.target() instanceof ServerPrimitives.ServerValue<?>);
    }

    private static void reply(Connection connection, Messages.Reply reply) {
        try {
            connection.send(reply);
        } catch (IllegalArgumentException notSerializable) {
            Throwable error = reply.error() != null ? RemoteException.of(reply.error())
                    : new IllegalArgumentException("the result is not Serializable: " + notSerializable.getMessage());
            connection.send(Messages.Reply.failed(error));
        }
    }

    private Messages.Reply run(Messages.Call call) {
        try {
            Shared shared = objects.get(call.objectId());
            if (shared == null) {
                throw new IllegalArgumentException("no shared object " + call.objectId() + " in this manager");
            }
            Method method = method(shared.iface(), call.method(), call.paramTypes());
            Object result = method.invoke(shared.target(), call.args());
            return Messages.Reply.ok(detach(call.method(), result));
        } catch (InvocationTargetException e) {
            return Messages.Reply.failed(e.getCause());
        } catch (Exception e) {
            return Messages.Reply.failed(e);
        }
    }

    private Method method(Class<?> iface, String name, String[] paramTypes) {
        String key = iface.getName() + "#" + name + String.join(",", paramTypes);
        Method found = methods.get(key);
        if (found != null) {
            return found;
        }
        List<Method> candidates = new ArrayList<>(List.of(iface.getMethods()));
        for (String objectMethod : List.of("equals", "hashCode", "toString")) {
            candidates.addAll(java.util.Arrays.stream(Object.class.getMethods())
                    .filter(m -> m.getName().equals(objectMethod)).toList());
        }
        for (Method m : candidates) {
            if (m.getName().equals(name) && sameTypes(m.getParameterTypes(), paramTypes)) {
                try {
                    m.setAccessible(true);
                } catch (RuntimeException ignored) {
                    // a public method of a public interface needs no access
                }
                methods.put(key, m);
                return m;
            }
        }
        throw new IllegalArgumentException(name + "(" + String.join(", ", paramTypes) + ") is not a method of "
                + iface.getName());
    }

    private static boolean sameTypes(Class<?>[] types, String[] names) {
        if (types.length != names.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            if (!types[i].getName().equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    /** A view of a shared object is sent as a copy: it could not be sent live. */
    private static Object detach(String method, Object result) {
        return switch (method) {
            case "keySet" -> new HashSet<>((Set<?>) result);
            case "values", "subList" -> new ArrayList<>((Collection<?>) result);
            case "entrySet" -> {
                Set<Map.Entry<?, ?>> copy = new HashSet<>();
                for (Map.Entry<?, ?> e : (Set<? extends Map.Entry<?, ?>>) result) {
                    copy.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
                }
                yield copy;
            }
            default -> result;
        };
    }

    // ---- ManagerService: the methods of object ROOT

    @Override
    public Messages.Ref create(String typeId) {
        Type type = types.get(typeId);
        if (type == null) {
            throw new IllegalArgumentException("no type '" + typeId + "' is registered with this manager (known: "
                    + new java.util.TreeSet<>(types.keySet()) + ")");
        }
        Object target = type.factory().get();
        if (!type.iface().isInstance(target)) {
            throw new IllegalArgumentException("the factory of '" + typeId + "' made a "
                    + (target == null ? "null" : target.getClass().getName()) + ", not a " + type.iface().getName());
        }
        return add(typeId, target, type.iface());
    }

    private Messages.Ref add(String typeId, Object target, Class<?> iface) {
        String id = Long.toString(ids.incrementAndGet());
        objects.put(id, new Shared(target, iface, typeId));
        return new Messages.Ref(id, typeId, iface.getName());
    }

    @Override
    public Messages.Ref createWith(String kind, Object argument) {
        return switch (kind) {
            case "semaphore", "boundedSemaphore" -> add(kind, new ServerPrimitives.ServerSemaphore((Integer) argument,
                    kind.equals("boundedSemaphore")), ProcessSemaphore.class);
            case "value" -> add(kind, new ServerPrimitives.ServerValue<>(argument), ManagedValue.class);
            default -> throw new IllegalArgumentException("no built-in type '" + kind + "'");
        };
    }

    @Override
    public void register(String typeId, SerializableSupplier<?> factory, String iface) {
        Class<?> type;
        try {
            type = Class.forName(iface, false, factory.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the manager cannot load " + iface, e);
        }
        if (!type.isInterface()) {
            throw new IllegalArgumentException(iface + " is not an interface");
        }
        types.put(typeId, new Type(factory, type));
    }

    @Override
    public String interfaceOf(String typeId) {
        Type type = types.get(typeId);
        return type == null ? null : type.iface().getName();
    }

    @Override
    public void shutdown() {
        stopping = true;
        listener.close();
    }

    @Override
    public String ping() {
        return "pong";
    }

    static Peer currentPeer() {
        return CURRENT.get();
    }

    /** One client connection, and the locks taken over it. */
    static final class Peer {
        private final Set<ServerLock> held = new HashSet<>(); // guarded by this
        private boolean ended;                                // guarded by this

        /** Records a lock taken over this connection; false if the connection has already ended. */
        synchronized boolean holding(ServerLock lock) {
            if (ended) {
                return false;
            }
            held.add(lock);
            return true;
        }

        synchronized void released(ServerLock lock) {
            held.remove(lock);
        }

        /** The connection has ended: releases every lock taken over it. */
        void end() {
            List<ServerLock> locks;
            synchronized (this) {
                ended = true;
                locks = List.copyOf(held);
            }
            for (ServerLock lock : locks) {
                lock.releaseIfTakenOver(this);
            }
        }
    }
}
