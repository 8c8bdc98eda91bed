package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.internal.conn.Address;
import org.multiprocessing4j.internal.events.Events;
import org.multiprocessing4j.internal.events.ManagerCallEvent;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.wire.Hmac;

/**
 * A manager server as this JVM reaches it: its address and a pool of authenticated connections to it,
 * shared by every proxy of that server here (Python keeps one connection per thread; a pool gives
 * the same: a call holds a connection until its reply). A connection over a Unix socket that has
 * carried {@link #UPGRADE_AFTER} calls goes on in shared memory ({@link SharedChannel}), which halves
 * what the kernel spends on a round trip; one used for a few calls (a child's) never pays for that.
 *
 * <p><b>Concurrency.</b> Thread-safe. A connection is used by one call at a time, by the calling
 * thread alone (no hand-off); it returns to the pool after a reply, and is dropped after any failure
 * of the connection itself.
 *
 * <p><b>References.</b> The calls on the manager's own object ({@link ManagerServer#ROOT}: creating
 * objects, counting references, {@link ObjectTable}) go over one connection of their own, the
 * reference connection, which the server counts this process's references against; its end (this
 * process's exit, even by {@code kill -9}) drops them all. One thread, {@code mp4j-manager-refs},
 * carries them in order, so that a reference adopted or announced in transit is never overtaken by its
 * release, and so that an interrupt of a caller never closes that connection: the caller stops
 * waiting, the exchange completes. The counting messages ({@link #adopt}, {@link #release},
 * {@link #send}) are not waited for at all.
 *
 * <p><b>Failure.</b> A server that has ended fails a call at once: the socket reaches end of file (or
 * refuses the connection), or, in shared memory, the wait for the reply sees within its first chunk
 * (20 ms) that the server's process is gone; the call throws {@link UncheckedIOException} naming the
 * server. A thread interrupted while it waits abandons the call: its connection is closed, which the
 * server sees, and it interrupts the call.
 */
final class Endpoint implements Calls {
    private static final Map<String, List<Endpoint>> ENDPOINTS = new ConcurrentHashMap<>();
    /** Keys given to {@code Manager.connect} in this JVM, by address; else the process's own key. */
    private static final Map<String, byte[]> KEYS = new ConcurrentHashMap<>();
    private static final Object[] NO_ARGS = {};
    /** Calls on one connection after which it goes on in shared memory ({@link SharedChannel}). */
    static final int UPGRADE_AFTER = 64;
    /** Calls on one connection after which the futex calls are linked, in the background. */
    static final int PREPARE_AFTER = 16;
    /** {@code -Dmp4j.managerSharedMemory=false} keeps every connection on its socket. */
    private static final boolean SHARED_MEMORY = Boolean.parseBoolean(
            System.getProperty("mp4j.managerSharedMemory", "true"));

    private final String address;
    private final SocketAddress socketAddress;
    private final byte[] authkey;
    private final ConcurrentLinkedDeque<Link> idle = new ConcurrentLinkedDeque<>();
    /** Carries the reference connection's exchanges, in order; its thread ends when idle. */
    private final ThreadPoolExecutor refs;
    private Connection refsLink; // used by the refs thread only

    /**
     * One connection to the server, held by one call at a time: its socket and, once it has carried
     * {@link #UPGRADE_AFTER} calls (on a Unix socket: the server is on this machine), its shared memory.
     */
    private static final class Link {
        final Connection socket;
        SharedChannel shared;  // written by the thread holding the link
        int calls;             // idem
        boolean upgradable;    // idem

        Link(Connection socket, boolean upgradable) {
            this.socket = socket;
            this.upgradable = upgradable;
        }

        void close() {
            if (shared != null) {
                shared.close();
            }
            socket.close();
        }
    }

    private Endpoint(String address, byte[] authkey) {
        this.address = address;
        this.socketAddress = Address.parse(address).socketAddress();
        this.authkey = authkey;
        this.refs = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("mp4j-manager-refs").factory());
        this.refs.allowCoreThreadTimeOut(true);
    }

    /** The endpoint for {@code address} with {@code authkey}, remembered as this address's key. */
    static Endpoint of(SocketAddress address, byte[] authkey) {
        String name = new Address(address).key();
        KEYS.put(name, authkey.clone()); // the one replaced is not wiped: a deserializing thread may be reading it
        return find(name, authkey);
    }

    /** The endpoint for {@code address}, as a deserialized proxy finds it. */
    static Endpoint of(String address) {
        byte[] given = KEYS.get(address);
        byte[] key = given != null ? given : CurrentProcess.authkey();
        try {
            return find(address, key);
        } finally {
            if (given == null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /*
     * Endpoints by address, then by key: the key is compared as bytes, never turned into a String (which
     * could not be wiped, and would sit in this static map for the JVM's life).
     */
    private static Endpoint find(String address, byte[] authkey) {
        List<Endpoint> here = ENDPOINTS.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>());
        for (Endpoint e : here) {
            if (Hmac.verify(e.authkey, authkey)) {
                return e;
            }
        }
        synchronized (here) {
            for (Endpoint e : here) {
                if (Hmac.verify(e.authkey, authkey)) {
                    return e;
                }
            }
            Endpoint made = new Endpoint(address, authkey.clone());
            here.add(made);
            return made;
        }
    }

    @Override
    public String address() {
        return address;
    }

    SocketAddress socketAddress() {
        return socketAddress;
    }

    @Override
    public Object call(String id, String signature, Object[] args, Class<?>[] declared) throws Throwable {
        if (Events.recording()) {
            return recorded(id, signature, () -> callOnce(id, signature, args, declared));
        }
        return callOnce(id, signature, args, declared);
    }

    /** Calls {@code method} of shared object {@code id} (for a dynamic proxy). */
    Object call(String id, Method method, Object[] args) throws Throwable {
        if (Events.recording()) {
            return recorded(id, CallCodec.signature(method), () -> callOnce(id, method, args));
        }
        return callOnce(id, method, args);
    }

    /** One call, as the caller makes it. */
    private interface Call {
        Object run() throws Throwable;
    }

    /** {@code call} under JFR: a {@link ManagerCallEvent} if it took longer than the event's threshold. */
    private Object recorded(String id, String signature, Call call) throws Throwable {
        ManagerCallEvent event = new ManagerCallEvent();
        event.begin();
        boolean succeeded = false;
        try {
            Object value = call.run();
            succeeded = true;
            return value;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.manager = address;
                event.object = id;
                event.method = signature;
                event.succeeded = succeeded;
                event.commit();
            }
        }
    }

    private Object callOnce(String id, String signature, Object[] args, Class<?>[] declared) throws Throwable {
        Messages.Reply reply = ManagerServer.ROOT.equals(id)
                ? onReferenceLink(signature, args == null ? NO_ARGS : args)
                : exchange(id, signature, args == null ? NO_ARGS : args, declared);
        if (reply.error() == null) {
            return reply.value();
        }
        throw rethrowable(reply.error(), declared);
    }

    private Object callOnce(String id, Method method, Object[] args) throws Throwable {
        Class<?>[] declared = method.getExceptionTypes();
        Messages.Reply reply = exchange(id, CallCodec.signature(method), args == null ? NO_ARGS : args, declared);
        if (reply.error() == null) {
            return reply.value();
        }
        throw rethrowable(reply.error(), declared);
    }

    /**
     * A call interrupted while it waits is abandoned (its link closes, the server stops it): a method
     * that declares {@link InterruptedException} throws that, clearing the status as the JDK's do;
     * another gets {@link IllegalStateException}, the status kept.
     */
    private Messages.Reply exchange(String id, String signature, Object[] args, Class<?>[] declared)
            throws InterruptedException {
        try {
            return exchange(id, signature, args);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted() && Arrays.asList(declared).contains(InterruptedException.class)) {
                Thread.interrupted();
                InterruptedException interrupted = new InterruptedException(e.getMessage());
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    private Messages.Reply exchange(String id, String signature, Object[] args) {
        byte[] call;
        try {
            call = CallCodec.call(id, signature, args);
        } catch (IOException e) {
            throw notSent(signature, args, e);
        }
        return roundTrip(call, signature);
    }

    /** Why the arguments of a call could not be sent: the first that is not Serializable, if one is. */
    private static IllegalArgumentException notSent(String signature, Object[] args, IOException e) {
        String method = signature.substring(0, signature.indexOf('('));
        for (int i = 0; i < args.length; i++) {
            if (args[i] != null && !(args[i] instanceof java.io.Serializable)) {
                return new IllegalArgumentException(method + " runs on the manager server, so its argument "
                        + (i + 1) + " (" + args[i].getClass().getName() + ") must be Serializable: for a lambda, give it"
                        + " a serializable type, e.g. (SerializableBiFunction<K, V, V>) (k, v) -> …", e);
            }
        }
        if (e instanceof NotSerializableException) {
            return new IllegalArgumentException(e.getMessage() + " is not Serializable; nothing was sent", e);
        }
        return new IllegalArgumentException("cannot serialize the arguments of " + method + ": " + e
                + "; nothing was sent", e);
    }

    /*
     * The calling thread writes the call and reads the reply itself, on a connection it holds alone
     * meanwhile: no other thread takes part on this side.
     */
    private Messages.Reply roundTrip(byte[] call, String signature) {
        Link link = idle.pollFirst();
        if (link == null) {
            link = new Link(direct(Client.connect(socketAddress, authkey)),
                    SHARED_MEMORY && socketAddress instanceof UnixDomainSocketAddress);
        }
        byte[] answer;
        try {
            answer = link.shared != null ? link.shared.exchange(call) : onSocket(link, call);
        } catch (UncheckedIOException | IllegalStateException e) {
            link.close(); // the server sees it end and interrupts the call, if it still runs
            throw failed(signature, e);
        }
        idle.addFirst(link); // the reply was read whole: the connection is ready for the next call
        try {
            return CallCodec.readReply(answer);
        } catch (IOException | ClassNotFoundException e) {
            throw unreadable(signature, e);
        }
    }

    /*
     * The paths a connection takes before it is in shared memory, and the failures, are methods of
     * their own: the common path above stays small, which the JIT compiles sooner (JFR: 47 KB of
     * compiled code for roundTrip when it held them all).
     */
    private static byte[] onSocket(Link link, byte[] call) {
        if (link.upgradable) {
            int calls = ++link.calls;
            if (calls == PREPARE_AFTER) {
                SharedChannel.prepare();
            } else if (calls > UPGRADE_AFTER && SharedChannel.ready()) {
                upgrade(link);
                if (link.shared != null) {
                    return link.shared.exchange(call);
                }
            } else if (SharedChannel.unavailable()) {
                link.upgradable = false;
            }
        }
        link.socket.sendBytes(call, 0, call.length);
        return link.socket.recvBytes();
    }

    private RuntimeException failed(String signature, RuntimeException e) {
        String what = signature.substring(0, signature.indexOf('('));
        if (Thread.currentThread().isInterrupted()) {
            return new IllegalStateException("interrupted while waiting for the manager at " + address
                    + "; " + what + " was abandoned", e);
        }
        return new UncheckedIOException("the manager at " + address + " is gone (" + what + " failed: "
                + e.getMessage() + ")", e instanceof UncheckedIOException u ? u.getCause() : new IOException(e));
    }

    private IllegalStateException unreadable(String signature, Exception e) {
        return new IllegalStateException("the reply of the manager at " + address + " to " + signature
                + " could not be read: " + e, e);
    }

    /**
     * Proposes shared memory to the server over the link's socket. Whatever the outcome, the link is
     * not proposed again; a refusal leaves it on its socket.
     */
    private static void upgrade(Link link) {
        link.upgradable = false;
        SharedChannel.Proposal proposal;
        try {
            proposal = SharedChannel.propose();
        } catch (IOException | RuntimeException e) {
            return; // no shared memory here: the socket serves
        }
        try {
            byte[] frame = CallCodec.upgrade(proposal.name(), proposal.token(), ProcessHandle.current().pid());
            link.socket.sendBytes(frame, 0, frame.length);
            Messages.Reply reply = CallCodec.readReply(link.socket.recvBytes());
            if (reply.error() == null && reply.value() instanceof Long serverPid) {
                // The server waits for our word on the socket before it leaves it: a server whose pid
                // this process cannot see (another pid namespace) could not be watched, so no.
                boolean go = org.multiprocessing4j.internal.proc.ProcessIds.running(serverPid);
                byte[] word = {go ? CallCodec.UPGRADE_COMMIT : CallCodec.UPGRADE_CANCEL};
                link.socket.sendBytes(word, 0, 1);
                if (go) {
                    link.shared = proposal.accept(link.socket, serverPid);
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            // an unreadable answer: stay on the socket
        } finally {
            if (link.shared == null) {
                proposal.abandon();
            }
        }
    }

    /** A call abandoned on interrupt closes its link, as it should: reads need no reader thread. */
    private static org.multiprocessing4j.Connection direct(org.multiprocessing4j.Connection c) {
        if (c instanceof org.multiprocessing4j.internal.conn.SocketConnection s) {
            s.directReads();
        }
        return c;
    }

    /** The server's exception, with its stack trace followed by the caller's. */
    private static Throwable rethrowable(Throwable error, Class<?>[] declaredTypes) {
        Throwable thrown = error;
        boolean declared = error instanceof RuntimeException || error instanceof Error;
        for (Class<?> type : declaredTypes) {
            declared |= type.isInstance(error);
        }
        if (!declared) {
            thrown = RemoteException.of(error);
        }
        StackTraceElement[] remote = thrown.getStackTrace();
        StackTraceElement[] local = new Throwable().getStackTrace();
        StackTraceElement[] both = Arrays.copyOf(remote, remote.length + 1 + local.length);
        both[remote.length] = new StackTraceElement("<manager server>", "call", null, -1);
        System.arraycopy(local, 0, both, remote.length + 1, local.length);
        thrown.setStackTrace(both);
        return thrown;
    }

    /** Counts one more reference to {@code id} for this process (a proxy deserialized here). */
    void adopt(String id) {
        tell("adopt(java.lang.String)", id);
    }

    /** Drops one of this process's references to {@code id} (a proxy released, or unreachable). */
    void release(String id) {
        tell("release(java.lang.String)", id);
    }

    /** A proxy of {@code id} is being serialized here: a reference in transit, until it is adopted. */
    void send(String id) {
        tell("send(java.lang.String)", id);
    }

    /** Sends a counting message in order with the others, without waiting; a server gone is ignored. */
    private void tell(String signature, String id) {
        byte[] call;
        try {
            call = CallCodec.call(ManagerServer.ROOT, signature, new Object[] {id});
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String always serializes
        }
        try {
            refs.execute(() -> {
                try {
                    refsExchange(call);
                } catch (RuntimeException gone) {
                    // the server has ended, or the connection broke: its end dropped our references anyway
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException retired) {
            // the manager was closed and its server stopped: nothing left to count
        }
    }

    /**
     * A call on the manager's own object, over the reference connection, on the refs thread; the
     * caller waits for the reply. Interrupted, the caller stops waiting (the exchange completes).
     */
    private Messages.Reply onReferenceLink(String signature, Object[] args) {
        byte[] call;
        try {
            call = CallCodec.call(ManagerServer.ROOT, signature, args);
        } catch (IOException e) {
            throw notSent(signature, args, e);
        }
        java.util.concurrent.Future<byte[]> answer;
        try {
            answer = refs.submit(() -> refsExchange(call));
        } catch (java.util.concurrent.RejectedExecutionException retired) {
            throw failed(signature, new IllegalStateException("the manager was closed", retired));
        }
        byte[] reply;
        try {
            reply = answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the manager at " + address + "; "
                    + signature.substring(0, signature.indexOf('(')) + " goes on without its caller", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof NotConnected notConnected) {
                throw (RuntimeException) notConnected.getCause(); // as Client.connect said it: refused, wrong key …
            }
            throw failed(signature, e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
        }
        try {
            return CallCodec.readReply(reply);
        } catch (IOException | ClassNotFoundException e) {
            throw unreadable(signature, e);
        }
    }

    /** One exchange on the reference connection (refs thread only); a broken one is dropped. */
    private byte[] refsExchange(byte[] call) {
        if (refsLink == null) {
            try {
                refsLink = Client.connect(socketAddress, authkey);
            } catch (RuntimeException e) {
                throw new NotConnected(e);
            }
        }
        try {
            refsLink.sendBytes(call, 0, call.length);
            return refsLink.recvBytes();
        } catch (RuntimeException e) {
            refsLink.close(); // the server dropped our references with it; the next call starts afresh
            refsLink = null;
            throw e;
        }
    }

    /** Why the reference connection could not be made: {@code Client.connect}'s own exception. */
    private static final class NotConnected extends RuntimeException {
        NotConnected(RuntimeException cause) {
            super(cause);
        }
    }

    /** How many idle connections have moved to shared memory (for tests). */
    int sharedLinks() {
        return (int) idle.stream().filter(link -> link.shared != null).count();
    }

    /** Closes the idle connections. */
    void closeIdle() {
        Link link;
        while ((link = idle.pollFirst()) != null) {
            link.close();
        }
    }

    /**
     * The server has been stopped by the manager that started it: closes every connection, the
     * reference connection too, and forgets this endpoint (a later proxy of the address makes a new
     * one, which finds nothing listening).
     */
    void retire() {
        ENDPOINTS.computeIfPresent(address, (a, list) -> {
            list.remove(this);
            return list.isEmpty() ? null : list;
        });
        try {
            refs.execute(() -> {
                if (refsLink != null) {
                    refsLink.close();
                    refsLink = null;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException already) {
            // retired before
        }
        refs.shutdown();
        closeIdle();
        byte[] key = KEYS.get(address);
        if (key != null && Hmac.verify(key, authkey) && KEYS.remove(address, key)) {
            Arrays.fill(key, (byte) 0);
        }
    }
}
