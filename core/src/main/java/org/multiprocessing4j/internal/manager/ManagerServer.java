package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.multiprocessing4j.internal.conn.Address;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.launch.ProcessTable;
import org.multiprocessing4j.internal.wire.SerialFilter;

/**
 * The manager server: a registry of shared objects and the loop that runs their methods for clients
 * (Python's {@code managers.Server}).
 *
 * <p><b>Concurrency.</b> One platform thread per client connection reads a {@link Messages.Call}, runs
 * it and sends the {@link Messages.Reply}, then reads the next: a connection carries one call at a time.
 * A call that may block (a lock, a queue's {@code take}) runs on a thread of a pool instead and blocks
 * only its own connection. The shared objects are thread-safe themselves ({@code ConcurrentHashMap}, a
 * synchronized list …). Methods are found in a table per interface, built once. A connection whose
 * client proposes it ({@link SharedChannel}) goes on in shared memory: the same thread then sleeps on
 * the channel's futex word instead of the socket.
 *
 * <p><b>Failure.</b> A connection that ends — closed, or its process killed mid-call — ends its
 * thread and releases the locks taken over it; the others carry on. (In shared memory the end is the
 * client's close flag, or its process found dead between two waits of at most 100 ms.) A peer that
 * fails the handshake, a message that cannot be read, an unknown object, type or method are errors
 * for that caller only.
 *
 * <p><b>Lifetimes.</b> A shared object lives while a proxy refers to it: each client process counts
 * its proxies' references over one connection of its own, and the server frees an object when the
 * last reference is dropped, or when the connections that held them end ({@link ObjectTable}).
 */
public final class ManagerServer implements ManagerService {
    static final String ROOT = "0";
    private static final ThreadLocal<Peer> CURRENT = new ThreadLocal<>();

    /** A shared object, the methods a proxy may call on it, and whether those may block. */
    private record Shared(Object target, Class<?> iface, String typeId, Map<String, Method> methods, boolean mayBlock) {}

    private record Type(SerializableSupplier<?> factory, Class<?> iface) {}

    private final Listener listener;
    private final Map<String, Shared> objects = new ConcurrentHashMap<>();
    private final ObjectTable table = new ObjectTable(objects::remove);
    private final Map<String, Type> types = new ConcurrentHashMap<>();
    /** Runs the calls that may block; platform threads (see serveClient), made as needed and reused. */
    private final ExecutorService blocking = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("mp4j-manager-call-", 0).factory());
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopping;

    private ManagerServer(Listener listener) {
        this.listener = listener;
        objects.put(ROOT, shared(this, ManagerService.class, "manager"));
        builtin("dict", ConcurrentHashMap::new, ConcurrentMap.class);
        builtin("list", () -> Collections.synchronizedList(new ArrayList<>()), List.class);
        builtin("queue", ServerQueue::new, RemoteQueue.class);
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
        ProcessTable.register(ProcessTable.MANAGER_SERVER, CurrentProcess.info().name());
        String address = new Address(listener.address()).key();
        server.table.serveAt(address);
        try {
            listening.accept(listener.address());
            server.acceptLoop();
        } finally {
            server.table.stopServing(address);
        }
    }

    private void acceptLoop() {
        while (!stopping) {
            Connection connection;
            try {
                connection = listener.accept(); // handshakes run on threads of the listener's
                if (connection instanceof org.multiprocessing4j.internal.conn.SocketConnection s) {
                    s.directReads(); // its thread is interrupted only to end it
                }
            } catch (AuthenticationException e) {
                continue; // that peer is refused; the others are served
            } catch (UncheckedIOException e) {
                if (stopping) {
                    return;
                }
                throw e;
            }
            // A known stack, with room for the deepest graph the deserialization filter lets through.
            Thread.ofPlatform().daemon().name("mp4j-manager-client").stackSize(SerialFilter.RECEIVER_STACK)
                    .start(() -> serveClient(connection));
        }
    }

    /*
     * This thread reads the connection and runs the calls that cannot block (a map's, a list's …)
     * itself: such a call costs no thread hand-off. A call that may block runs on a thread of the
     * blocking pool, which replies, while this thread waits for the next frame: so the end of the
     * connection is seen even while a call blocks (a client killed in lock() or take()), the call is
     * interrupted and the locks taken over the connection are released. Every thread that touches the
     * socket is a platform thread: a virtual one would switch it to non-blocking mode for good, and
     * every read after that would cost a poll and a wake-up through the JDK's poller.
     */
    private void serveClient(Connection connection) {
        Peer peer = new Peer();
        Future<?> call = null;
        SharedChannel shared = null;
        Consumer<byte[]> socket = bytes -> connection.sendBytes(bytes, 0, bytes.length);
        Consumer<byte[]> out = socket;
        int calls = 0;
        try (connection) {
            while (true) {
                byte[] frame = shared == null ? receive(connection) : shared.receiveCall();
                if (frame == null) {
                    return; // end of file, or the client closed the connection or died
                }
                if (++calls == Endpoint.PREPARE_AFTER) {
                    SharedChannel.prepare(); // a busy client may propose shared memory soon: be ready
                }
                if (call != null) {
                    awaitReplied(call); // a client sends its next call after the reply: this is at once
                    call = null;
                }
                if (shared == null && CallCodec.isUpgrade(frame)) {
                    shared = upgrade(connection, frame);
                    if (shared != null) {
                        out = shared::sendReply;
                    }
                    continue;
                }
                Messages.Call c;
                try {
                    c = CallCodec.readCall(frame);
                } catch (IllegalArgumentException notACall) {
                    reply(out, Messages.Reply.failed(notACall));
                    continue;
                } catch (IOException | ClassNotFoundException | RuntimeException e) {
                    reply(out, Messages.Reply.failed(new IllegalArgumentException(
                            "the manager could not read the call: " + e)));
                    continue;
                }
                Shared target = objects.get(c.objectId());
                if (target != null && target.mayBlock()) {
                    Consumer<byte[]> replyTo = out;
                    call = blocking.submit(() -> {
                        CURRENT.set(peer);
                        try {
                            reply(replyTo, run(target, c));
                        } catch (RuntimeException broken) {
                            // the connection broke while replying: this client is gone
                        } finally {
                            CURRENT.remove();
                        }
                    });
                    continue;
                }
                CURRENT.set(peer);
                try {
                    reply(out, run(target, c));
                } finally {
                    CURRENT.remove();
                }
            }
        } catch (RuntimeException broken) {
            // the connection broke while replying: this client is gone
        } finally {
            if (call != null) {
                call.cancel(true); // interrupts a call that still waits: its client is gone
            }
            if (shared != null) {
                shared.close();
            }
            peer.end();
            table.dropAll(peer); // a client that closed, or died: the references it held are gone
        }
    }

    private static byte[] receive(Connection connection) {
        try {
            return connection.recvBytes();
        } catch (UncheckedIOException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * A client's proposal to go on in shared memory: the file is mapped and checked, the answer (this
     * process's pid, or why not) goes back on the socket, and the client's word ('Y' or 'N') comes on
     * the socket too. Returns the channel to read the next calls from, or null to stay on the socket.
     */
    private static SharedChannel upgrade(Connection connection, byte[] frame) {
        SharedChannel shared = null;
        Messages.Reply answer;
        try {
            CallCodec.Upgrade proposal = CallCodec.readUpgrade(frame);
            if (!org.multiprocessing4j.internal.proc.ProcessIds.running(proposal.clientPid())) {
                throw new IOException("pid " + proposal.clientPid() + " is no process this server can watch");
            }
            shared = SharedChannel.join(proposal.name(), proposal.token(), proposal.clientPid(), connection);
            answer = Messages.Reply.ok(ProcessHandle.current().pid());
        } catch (IOException | RuntimeException e) {
            answer = Messages.Reply.failed(new IllegalStateException("no shared memory for this connection: " + e));
        }
        reply(bytes -> connection.sendBytes(bytes, 0, bytes.length), answer); // still on the socket
        if (shared == null) {
            return null;
        }
        byte[] word = connection.recvBytes();
        return word.length == 1 && word[0] == CallCodec.UPGRADE_COMMIT ? shared : null;
    }

    private static void awaitReplied(Future<?> call) {
        boolean interrupted = false;
        while (true) {
            try {
                call.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break; // the task catches everything; nothing to report here
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether calls on {@code target} may wait (a lock, a queue, the manager's own methods, a user's
     * type): those run on the blocking pool, the others on the connection's thread.
     */
    private static boolean mayBlock(Object target) {
        return !(target instanceof Map<?, ?> || target instanceof List<?> || target instanceof NamespaceImpl
                || target instanceof ServerPrimitives.ServerValue<?>);
    }

    private static void reply(Consumer<byte[]> out, Messages.Reply reply) {
        byte[] bytes;
        try {
            bytes = CallCodec.reply(reply);
        } catch (IOException notSerializable) {
            Throwable error = reply.error() != null ? RemoteException.of(reply.error())
                    : new IllegalArgumentException("the result is not Serializable: " + notSerializable.getMessage());
            try {
                bytes = CallCodec.reply(Messages.Reply.failed(error));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.accept(bytes);
    }

    private Messages.Reply run(Shared shared, Messages.Call call) {
        try {
            if (shared == null) {
                throw new IllegalArgumentException("no shared object " + call.objectId() + " in this manager");
            }
            Method method = shared.methods().get(call.signature());
            if (method == null) {
                throw new IllegalArgumentException(call.signature() + " is not a method of " + shared.iface().getName());
            }
            Object result = method.invoke(shared.target(), call.args());
            return Messages.Reply.ok(Dispatch.detach(method.getName(), result));
        } catch (InvocationTargetException e) {
            return Messages.Reply.failed(e.getCause());
        } catch (Exception e) {
            return Messages.Reply.failed(e);
        }
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

    private Shared shared(Object target, Class<?> iface, String typeId) {
        return new Shared(target, iface, typeId, Dispatch.table(iface), mayBlock(target));
    }

    private Messages.Ref add(String typeId, Object target, Class<?> iface) {
        String id = Long.toString(ids.incrementAndGet());
        objects.put(id, shared(target, iface, typeId));
        table.created(holder(), id); // the creator's proxy
        return new Messages.Ref(id, typeId, iface.getName());
    }

    @Override
    public Messages.Ref createWith(String kind, Object argument) {
        return switch (kind) {
            case "semaphore", "boundedSemaphore" -> add(kind, new ServerPrimitives.ServerSemaphore((Integer) argument,
                    kind.equals("boundedSemaphore")), ProcessSemaphore.class);
            case "value" -> add(kind, new ServerPrimitives.ServerValue<>(argument), ManagedValue.class);
            case "queue" -> add(kind, new ServerQueue<>((Integer) argument), RemoteQueue.class);
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
    public void adopt(String id) {
        table.adopt(holder(), id);
    }

    @Override
    public void release(String id) {
        table.release(holder(), id);
    }

    @Override
    public void send(String id) {
        table.send(id);
    }

    @Override
    public int objectCount() {
        return table.size();
    }

    /** Who holds the references counted by the call in progress: its connection, else the server. */
    private static Object holder() {
        Peer peer = CURRENT.get();
        return peer != null ? peer : ObjectTable.SERVER;
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

        /** Whether the connection has ended ({@link #end()} has begun). */
        synchronized boolean hasEnded() {
            return ended;
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
