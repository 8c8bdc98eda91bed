package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagedValue;
import org.multiprocessing4j.Namespace;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SerializableSupplier;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.proc.PrivateDirs;

/**
 * A {@link Manager} as its clients see it: proxies of objects on a server, made through the server's
 * own object ({@link ManagerService}). Made by {@code ctx.manager()} it also owns the server's
 * process.
 *
 * <p><b>Lifecycle.</b> {@code ctx.manager()} starts the server in a daemon child JVM listening on a Unix
 * socket in a private temporary directory, and returns once it listens (or fails with the child's
 * exit and stderr if it ended first). {@link #close()} stops it, waits for its exit (killing it after
 * {@link #STOP_TIMEOUT}) and removes the directory.
 */
public final class ManagerClient implements Manager {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Endpoint endpoint;
    private final ManagerService root;
    private final ChildProcess server; // null for a client of a server it did not start
    private final Path directory;
    private final Map<String, Class<?>> registered = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ManagerClient(Endpoint endpoint, ChildProcess server, Path directory) {
        this.endpoint = endpoint;
        this.server = server;
        this.directory = directory;
        this.root = new PrimitiveProxies.ServiceProxy(endpoint);
    }

    /** {@link Manager#connect}: authenticates at once. */
    public static Manager connect(SocketAddress address, byte[] authkey) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authkey, "authkey");
        ManagerClient client = new ManagerClient(Endpoint.of(address, authkey), null, null);
        client.root.ping();
        return client;
    }

    /** Starts a server in a child made by {@code processes} and connects to it. */
    public static Manager start(Function<SerializableRunnable, ChildProcess> processes) {
        Path dir;
        try {
            dir = PrivateDirs.create("manager"); // rwx------; a killed JVM's is swept by the next
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the manager's directory: " + e.getMessage(), e);
        }
        String socket = dir.resolve("manager.sock").toString();
        String ready = dir.resolve("ready.sock").toString();
        ChildProcess child = null;
        try (Listener readiness = new Listener(UnixDomainSocketAddress.of(ready))) {
            child = processes.apply(new ServeTask(socket, ready)).name("SyncManager").daemon(true).start();
            CompletableFuture<Connection> listening = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Connection c = readiness.accept()) {
                    c.recv();
                    listening.complete(c);
                } catch (RuntimeException e) {
                    listening.completeExceptionally(e);
                }
            });
            CompletableFuture.anyOf(listening, child.onExit()).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!listening.isDone()) {
                throw new IllegalStateException("the manager server process (pid " + child.pid() + ") ended before it"
                        + " listened, exit code " + child.exitCode() + ":\n" + child.stderrTail());
            }
            listening.get();
            return new ManagerClient(Endpoint.of(UnixDomainSocketAddress.of(socket), CurrentProcess.authkey()), child, dir);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            if (child != null) {
                child.kill();
            }
            deleteDirectory(dir);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("the manager server did not start: " + e, e);
        }
    }

    @Override
    public <K, V> ConcurrentMap<K, V> dict() {
        return make("dict", ConcurrentMap.class);
    }

    @Override
    public <E> List<E> list() {
        return make("list", List.class);
    }

    @Override
    public <E> BlockingQueue<E> queue() {
        return make("queue", BlockingQueue.class);
    }

    @Override
    public <E> BlockingQueue<E> queue(int maxsize) {
        if (maxsize < 1) {
            throw new IllegalArgumentException("maxsize must be ≥ 1, was " + maxsize);
        }
        @SuppressWarnings("unchecked")
        BlockingQueue<E> q = proxy(root.createWith("queue", maxsize), BlockingQueue.class);
        return q;
    }

    @Override
    public ProcessLock lock() {
        return create("lock");
    }

    @Override
    public void release(Object proxy) {
        Objects.requireNonNull(proxy, "proxy");
        if (proxy instanceof RemoteObject remote) {
            remote.dropReference();
        } else if (java.lang.reflect.Proxy.isProxyClass(proxy.getClass())
                && java.lang.reflect.Proxy.getInvocationHandler(proxy) instanceof RemoteHandler handler) {
            handler.dropReference();
        } else {
            throw new IllegalArgumentException("not a proxy of a manager's object: " + proxy.getClass().getName());
        }
    }

    @Override
    public ProcessLock rlock() {
        return create("rlock");
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        return semaphore(permits, "semaphore");
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        return semaphore(permits, "boundedSemaphore");
    }

    private ProcessSemaphore semaphore(int permits, String kind) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be ≥ 0, was " + permits);
        }
        return proxy(root.createWith(kind, permits), ProcessSemaphore.class);
    }

    @Override
    public ProcessEvent event() {
        return make("event", ProcessEvent.class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ManagedValue<T> value(T initial) {
        return proxy(root.createWith("value", initial), ManagedValue.class);
    }

    @Override
    public Namespace namespace() {
        return make("namespace", Namespace.class);
    }

    @SuppressWarnings("unchecked")
    private <T> T make(String typeId, Class<?> iface) {
        return (T) proxy(root.create(typeId), iface);
    }

    /** A built-in interface's own proxy class, else a dynamic proxy (a registered type's). */
    private <T> T proxy(Messages.Ref ref, Class<T> iface) {
        Object proxy;
        if (iface == ConcurrentMap.class) {
            proxy = new DictProxy<>(endpoint, ref.id());
        } else if (iface == List.class) {
            proxy = new ListProxy<>(endpoint, ref.id());
        } else if (iface == BlockingQueue.class) {
            proxy = new QueueProxy<>(endpoint, ref.id());
        } else if (iface == Namespace.class) {
            proxy = new PrimitiveProxies.NamespaceProxy(endpoint, ref.id());
        } else if (iface == ProcessEvent.class) {
            proxy = new PrimitiveProxies.EventProxy(endpoint, ref.id());
        } else if (iface == ProcessSemaphore.class) {
            proxy = new PrimitiveProxies.SemaphoreProxy(endpoint, ref.id());
        } else if (iface == ManagedValue.class) {
            proxy = new PrimitiveProxies.ValueProxy<>(endpoint, ref.id());
        } else {
            return RemoteHandler.proxy(endpoint, ref, iface);
        }
        ((RemoteObject) proxy).counted(endpoint);
        return iface.cast(proxy);
    }

    @Override
    public <T> void register(String typeId, SerializableSupplier<? extends T> factory, Class<T> iface) {
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(factory, "factory");
        if (!Objects.requireNonNull(iface, "iface").isInterface()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface; shared objects are reached through one");
        }
        root.register(typeId, factory, iface.getName());
        registered.put(typeId, iface);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T create(String typeId) {
        Messages.Ref ref = root.create(Objects.requireNonNull(typeId, "typeId"));
        if (ref.iface().equals(RemoteLock.class.getName())) {
            LockProxy lock = new LockProxy(endpoint, ref.id(), ref.typeId().equals("rlock"));
            lock.counted(endpoint);
            return (T) lock;
        }
        if (ref.iface().equals(RemoteQueue.class.getName())) {
            return (T) new QueueProxy<>(endpoint, ref.id());
        }
        Class<?> iface = registered.get(typeId);
        if (iface == null) {
            try {
                iface = Class.forName(ref.iface(), false, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("type '" + typeId + "' is shared through " + ref.iface()
                        + ", which this process cannot load", e);
            }
        }
        return (T) proxy(ref, iface);
    }

    @Override
    public SocketAddress address() {
        return endpoint.socketAddress();
    }

    @Override
    public void shutdown() {
        try {
            root.shutdown();
        } catch (UncheckedIOException gone) {
            // it ended before it replied, or had already ended
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            if (server.isAlive()) {
                shutdown();
            }
            if (!server.join(STOP_TIMEOUT)) {
                server.kill();
                server.join();
            }
            deleteDirectory(directory);
            endpoint.retire();
        } else {
            endpoint.closeIdle(); // the references stay counted: this process's proxies may live on
        }
    }

    private static void deleteDirectory(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    /** How many shared objects the server holds (for tests). */
    int serverObjectCount() {
        return root.objectCount();
    }

    /** The server's pid, if this manager started it (for tests). */
    long serverPid() {
        return server == null ? -1 : server.pid();
    }

    @Override
    public String toString() {
        return "Manager[" + endpoint.address() + (server == null ? "" : ", pid " + server.pid()) + "]";
    }

    /** The server's process: a daemon child's target. */
    record ServeTask(String socket, String ready) implements SerializableRunnable {
        @Override
        public void run() {
            Manager.serve(UnixDomainSocketAddress.of(socket), CurrentProcess.authkey(), where -> {
                try (Connection c = Client.connect(UnixDomainSocketAddress.of(ready))) {
                    c.send(socket);
                }
            });
        }
    }
}
