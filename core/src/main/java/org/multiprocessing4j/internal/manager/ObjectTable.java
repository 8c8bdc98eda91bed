package org.multiprocessing4j.internal.manager;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Who refers to each shared object of a manager server, so that an object is freed when no proxy
 * refers to it any more (Python's {@code Server.id_to_refcount}, {@code incref}, {@code decref}).
 *
 * <p><b>Holders.</b> References are counted per holder: a client connection (its {@link ManagerServer.Peer};
 * each client process keeps one connection for its references, {@link Endpoint}), or {@link #SERVER}
 * for the proxies the server itself holds (a list stored in a dict). A proxy counts one reference from
 * its making ({@code create}) or its deserialization ({@link #adopt}) until it becomes unreachable or is
 * released; the end of a holder's connection drops all of its references, so a client that dies, even
 * by {@code kill -9}, frees what only it held.
 *
 * <p><b>In transit.</b> A proxy being serialized (for a child, in a call's arguments or result) counts
 * one reference "in transit" ({@link #send}) until a process that deserializes it adopts it, so the
 * object survives the sender dropping its proxy before the receiver has counted its own. A transit
 * reference nobody adopts (bytes that were never read) expires after {@link #TRANSIT_LEASE}.
 *
 * <p><b>Concurrency.</b> Thread-safe: every change is made under {@code this}; {@code free} is called
 * under it too, and must not call back.
 */
final class ObjectTable {
    /** The holder of the references the server process's own proxies count. */
    static final Object SERVER = new Object() {
        @Override
        public String toString() {
            return "the server's own proxies";
        }
    };
    /** How long a reference in transit waits to be adopted: {@code -Dmp4j.managerTransitSeconds}. */
    static final Duration TRANSIT_LEASE = Duration.ofSeconds(Long.getLong("mp4j.managerTransitSeconds", 600));
    /** The tables of the servers running in this JVM, by address: where a proxy deserialized here counts. */
    private static final Map<String, ObjectTable> LOCAL = new ConcurrentHashMap<>();

    private record Transit(String id, long deadline) {}

    private final Consumer<String> free;
    private final Map<String, Integer> counts = new HashMap<>();                    // guarded by this
    private final Map<Object, Map<String, Integer>> holders = new IdentityHashMap<>(); // guarded by this
    /** Each object's references in transit, oldest first; adoption takes the oldest. */
    private final Map<String, ArrayDeque<Transit>> inTransit = new HashMap<>();     // guarded by this
    private final ArrayDeque<Transit> transits = new ArrayDeque<>();                // guarded by this, by deadline

    /** @param free removes an object that nothing refers to any more from the server */
    ObjectTable(Consumer<String> free) {
        this.free = free;
    }

    /** Makes this the table proxies of {@code address} count in, when deserialized in this JVM. */
    void serveAt(String address) {
        LOCAL.put(address, this);
    }

    void stopServing(String address) {
        LOCAL.remove(address, this);
    }

    /**
     * The table of a server at {@code address} running in this JVM, or null. A TCP address may name the
     * server otherwise than it names itself (a host name, another of its interfaces): the same port on
     * an address of this machine is the same server.
     */
    static ObjectTable local(String address) {
        ObjectTable table = LOCAL.get(address);
        if (table != null || LOCAL.isEmpty() || !address.startsWith("tcp:")) {
            return table;
        }
        String port = address.substring(address.lastIndexOf(':'));
        for (Map.Entry<String, ObjectTable> e : LOCAL.entrySet()) {
            if (e.getKey().startsWith("tcp:") && e.getKey().endsWith(port) && isThisMachine(address)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean isThisMachine(String tcpAddress) {
        String host = tcpAddress.substring(4, tcpAddress.lastIndexOf(':'));
        try {
            java.net.InetAddress ip = java.net.InetAddress.getByName(host);
            return ip.isLoopbackAddress() || ip.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(ip) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A new object, held once by {@code holder} (its creator's proxy). */
    synchronized void created(Object holder, String id) {
        expire();
        counts.put(id, 1);
        if (gone(holder)) {
            unref(id, 1); // its creator's connection ended while it was being made: nobody can reach it
            return;
        }
        holders.computeIfAbsent(holder, h -> new HashMap<>()).merge(id, 1, Integer::sum);
    }

    /*
     * A connection that has ended (Peer.end, then dropAll) may still have a call in progress on the
     * blocking pool: what it would count after its dropAll would never be dropped. Peer.end comes first,
     * so a call that sees the peer live counts before dropAll runs.
     */
    private static boolean gone(Object holder) {
        return holder instanceof ManagerServer.Peer peer && peer.hasEnded();
    }

    /**
     * One more reference of {@code holder}: a reference in transit if there is one (a proxy
     * serialized elsewhere, now deserialized), else a new one.
     *
     * @throws IllegalArgumentException if the object has been freed, or never was
     */
    synchronized void adopt(Object holder, String id) {
        expire();
        Integer count = counts.get(id);
        if (count == null) {
            throw new IllegalArgumentException("no shared object " + id + " in this manager (freed when no proxy"
                    + " referred to it any more)");
        }
        if (gone(holder)) {
            return;
        }
        ArrayDeque<Transit> travelling = inTransit.get(id);
        if (travelling != null) {
            travelling.pollFirst(); // its entry in transits stays; expire() sees it is no longer waiting
            if (travelling.isEmpty()) {
                inTransit.remove(id);
            }
        } else {
            counts.put(id, count + 1);
        }
        holders.computeIfAbsent(holder, h -> new HashMap<>()).merge(id, 1, Integer::sum);
    }

    /** Drops one reference of {@code holder}; frees the object when it was the last. */
    synchronized void release(Object holder, String id) {
        expire();
        Map<String, Integer> held = holders.get(holder);
        if (held == null || !held.containsKey(id)) {
            return; // already dropped with its connection, or never counted
        }
        decrement(held, id);
        if (held.isEmpty()) {
            holders.remove(holder);
        }
        unref(id, 1);
    }

    /** One reference in transit: a proxy of {@code id} is being serialized. */
    synchronized void send(String id) {
        expire();
        Integer count = counts.get(id);
        if (count == null) {
            return; // freed already: the receiver will be told when it adopts it
        }
        counts.put(id, count + 1);
        Transit transit = new Transit(id, System.nanoTime() + TRANSIT_LEASE.toNanos());
        inTransit.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(transit);
        transits.addLast(transit);
    }

    /** {@code holder}'s connection has ended: drops every reference it held. */
    synchronized void dropAll(Object holder) {
        Map<String, Integer> held = holders.remove(holder);
        if (held != null) {
            held.forEach(this::unref);
        }
        expire();
    }

    /** How many objects are alive (the manager's own object is not counted); for tests and {@code ps}. */
    synchronized int size() {
        expire();
        return counts.size();
    }

    private void unref(String id, int by) { // this held
        Integer count = counts.get(id);
        if (count == null) {
            return;
        }
        if (count > by) {
            counts.put(id, count - by);
        } else {
            counts.remove(id);
            inTransit.remove(id);
            free.accept(id);
        }
    }

    /** Drops the transit references whose lease has run out. */
    private void expire() { // this held
        long now = System.nanoTime();
        Transit head;
        while ((head = transits.peekFirst()) != null && now - head.deadline() >= 0) {
            transits.pollFirst();
            ArrayDeque<Transit> waiting = inTransit.get(head.id());
            // Adoption takes the oldest first: if this one was adopted, it is not at the front any more.
            if (waiting != null && waiting.peekFirst() == head) {
                waiting.pollFirst();
                if (waiting.isEmpty()) {
                    inTransit.remove(head.id());
                }
                unref(head.id(), 1);
            }
        }
    }

    private static void decrement(Map<String, Integer> map, String id) {
        map.computeIfPresent(id, (k, n) -> n > 1 ? n - 1 : null);
    }
}
