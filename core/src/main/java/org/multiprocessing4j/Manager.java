package org.multiprocessing4j;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.multiprocessing4j.spi.LocalBackend;

/**
 * Shared objects that live in a server process and are used from any process through proxies:
 * Python's {@code SyncManager} ({@code multiprocessing.Manager()}) and {@code BaseManager}.
 *
 * <pre>{@code
 * try (Manager manager = ctx.manager()) {
 *     ConcurrentMap<String, Integer> d = manager.dict();
 *     Lock lock = manager.lock();
 *     ctx.process(() -> d.merge("count", 1, (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum)).start().join();
 * }
 * }</pre>
 *
 * <p>Every method of a proxy is a round trip to the server, where it runs (atomically, for the
 * {@code ConcurrentMap} methods). Proxies are {@code Serializable}: captured by a child's task they
 * reach the same server. A method's exception is rethrown in the caller with the server's stack trace.
 * Views ({@code keySet()}, {@code values()}, {@code entrySet()}, {@code subList}, iterators, streams)
 * are snapshots taken on the server, as Python's proxies return lists. A server that has ended makes
 * every call fail at once with {@link java.io.UncheckedIOException}.
 *
 * <p>A shared object lives as long as a proxy of it does, in any process: each proxy counts one
 * reference on the server until it is {@linkplain #release released} or garbage-collected, and a
 * process that ends (even killed) drops its references. An object the server holds (a list stored in
 * a dict) lives while it is stored there.
 */
public interface Manager extends AutoCloseable {

    /** A new shared {@link ConcurrentMap} (Python's {@code manager.dict()}); no null keys or values. */
    <K, V> ConcurrentMap<K, V> dict();

    /** A new shared {@link List} (Python's {@code manager.list()}). */
    <E> List<E> list();

    /** A new shared unbounded {@link BlockingQueue} (Python's {@code manager.Queue()}). */
    <E> BlockingQueue<E> queue();

    /**
     * A new shared {@link BlockingQueue} of at most {@code maxsize} elements (Python's
     * {@code manager.Queue(maxsize)}): {@code put} blocks, on the server, while it is full.
     *
     * @throws IllegalArgumentException if {@code maxsize < 1}
     */
    <E> BlockingQueue<E> queue(int maxsize);

    /**
     * A new shared lock (Python's {@code manager.Lock()}): not reentrant, owned by the thread that took
     * it (another thread's {@code unlock()} is an {@link IllegalMonitorStateException}); released by the
     * server if the process holding it dies, and the next owner's {@link ProcessLock#isRecovered()} says
     * so. {@code newCondition()} is not supported; {@code close()} does nothing (it lives as long as
     * its server).
     */
    ProcessLock lock();

    /** A new shared reentrant lock (Python's {@code manager.RLock()}). */
    ProcessLock rlock();

    /**
     * A new shared counting semaphore with {@code permits} permits (Python's {@code manager.Semaphore(n)}).
     * Permits taken by a process that dies are not given back, as in Python.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    ProcessSemaphore semaphore(int permits);

    /**
     * A new shared semaphore whose {@code release()} may not raise the count past {@code permits}
     * (Python's {@code manager.BoundedSemaphore(n)}).
     */
    ProcessSemaphore boundedSemaphore(int permits);

    /** A new shared event flag, clear (Python's {@code manager.Event()}). */
    ProcessEvent event();

    /** A new shared value (Python's {@code manager.Value(typecode, value)}). */
    <T> ManagedValue<T> value(T initial);

    /** A new shared namespace of named attributes (Python's {@code manager.Namespace()}). */
    Namespace namespace();

    /**
     * Registers a type of shared object: {@link #create(String)} makes one on the server with
     * {@code factory} and returns a proxy of {@code iface}. Only the methods of {@code iface} can be
     * called. The factory's class must be on the server's class path.
     */
    <T> void register(String typeId, SerializableSupplier<? extends T> factory, Class<T> iface);

    /**
     * A new shared object of a registered type.
     *
     * @throws IllegalArgumentException if no type {@code typeId} is registered with the server
     */
    <T> T create(String typeId);

    /**
     * Drops {@code proxy}'s reference to its shared object now, rather than when the proxy becomes
     * unreachable; the server frees an object once no proxy in any process refers to it (Python's
     * proxies do this when they are garbage-collected). The proxy's calls fail with
     * {@link IllegalStateException} afterwards; releasing it again does nothing. Other proxies of the
     * same object, here or in other processes, are not affected.
     *
     * @throws IllegalArgumentException if {@code proxy} is not a proxy of a manager's object
     */
    void release(Object proxy);

    /** Where the server listens. */
    SocketAddress address();

    /** Stops the server (Python's {@code manager.shutdown()}); every proxy of it fails from then on. */
    void shutdown();

    /**
     * Closes this client's connections; a manager made by {@link Context#manager()} also stops its
     * server process.
     */
    @Override
    void close();

    /**
     * Connects to a running manager server (one from {@link Context#manager()}, or from
     * {@code mp4j manager serve}).
     *
     * @throws AuthenticationException if the server holds another key
     * @throws java.io.UncheckedIOException if nothing listens there
     */
    static Manager connect(SocketAddress address, byte[] authkey) {
        return LocalBackend.get().connectManager(address, authkey);
    }

    /**
     * Runs a manager server in this process until {@link #shutdown()} (Python's
     * {@code serve_forever}); {@code listening} is told where it listens (the port chosen, for port 0).
     */
    static void serve(SocketAddress address, byte[] authkey, Consumer<? super SocketAddress> listening) {
        LocalBackend.get().serveManager(new Listener(address, authkey), listening);
    }
}
