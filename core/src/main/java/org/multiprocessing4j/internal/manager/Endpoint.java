package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.internal.launch.CurrentProcess;

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
 * <p><b>Failure.</b> A server that has ended fails a call at once: the socket reaches end of file (or
 * refuses the connection), or, in shared memory, the wait for the reply sees within its first chunk
 * (20 ms) that the server's process is gone; the call throws {@link UncheckedIOException} naming the
 * server. A thread interrupted while it waits abandons the call: its connection is closed, which the
 * server sees, and it interrupts the call.
 */
final class Endpoint implements Calls {
    private static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();
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
        this.socketAddress = parse(address);
        this.authkey = authkey;
    }

    /** The endpoint for {@code address} with {@code authkey}, remembered as this address's key. */
    static Endpoint of(SocketAddress address, byte[] authkey) {
        String name = format(address);
        KEYS.put(name, authkey.clone());
        return ENDPOINTS.computeIfAbsent(key(name, authkey), k -> new Endpoint(name, authkey.clone()));
    }

    /** The endpoint for {@code address}, as a deserialized proxy finds it. */
    static Endpoint of(String address) {
        byte[] key = KEYS.getOrDefault(address, CurrentProcess.authkey());
        return ENDPOINTS.computeIfAbsent(key(address, key), k -> new Endpoint(address, key));
    }

    /* String.join rather than +: a child that receives a proxy comes here first, and the first string
     * concatenation in a JVM costs milliseconds of bootstrap. */
    private static String key(String address, byte[] authkey) {
        return String.join("|", address, HexFormat.of().formatHex(authkey));
    }

    @Override
    public String address() {
        return address;
    }

    SocketAddress socketAddress() {
        return socketAddress;
    }

    static String format(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        if (address instanceof InetSocketAddress inet) {
            return "tcp:" + inet.getHostString() + ":" + inet.getPort();
        }
        throw new IllegalArgumentException("not a TCP or Unix socket address: " + address);
    }

    static SocketAddress parse(String address) {
        if (address.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(address.substring(5));
        }
        int colon = address.lastIndexOf(':');
        return new InetSocketAddress(address.substring(4, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    @Override
    public Object call(String id, String signature, Object[] args, Class<?>[] declared) throws Throwable {
        Messages.Reply reply = exchange(id, signature, args == null ? NO_ARGS : args, declared);
        if (reply.error() == null) {
            return reply.value();
        }
        throw rethrowable(reply.error(), declared);
    }

    /** Calls {@code method} of shared object {@code id} (for a dynamic proxy). */
    Object call(String id, Method method, Object[] args) throws Throwable {
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
                boolean go = org.multiprocessing4j.internal.shm.Segments.alive(serverPid);
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
}
