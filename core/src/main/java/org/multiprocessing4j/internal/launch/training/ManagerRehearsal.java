package org.multiprocessing4j.internal.launch.training;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.internal.proc.PrivateDirs;
import org.multiprocessing4j.internal.proc.Sweeper;
import org.multiprocessing4j.internal.wire.Hmac;

/**
 * A manager's traffic in miniature, for the AOT cache's training run only: a server on a thread of this
 * JVM and a client of it, dict {@code put}/{@code get} round trips, so that the cache carries the
 * server's and the client's classes and method profiles (JEP 515) for a manager's server process and a
 * child that uses a proxy.
 */
final class ManagerRehearsal {
    static final int PAIRS = 5_000;

    private ManagerRehearsal() {}

    /** Runs it; returns the round-trip pairs done ({@link #PAIRS}, or fewer if it failed). */
    static int run() {
        int done = 0;
        Path dir = null;
        try {
            dir = PrivateDirs.create("rehearsal");
            SocketAddress address = UnixDomainSocketAddress.of(dir.resolve("manager.sock"));
            byte[] key = Hmac.newKey(); // its own: the parent's key has no business in this server
            CompletableFuture<SocketAddress> listening = new CompletableFuture<>();
            Thread server = Thread.ofPlatform().daemon(true).name("rehearsal-manager").start(() -> {
                try {
                    Manager.serve(address, key, listening::complete);
                } catch (RuntimeException | Error e) {
                    listening.completeExceptionally(e); // not listening: the rehearsal ends now
                }
            });
            listening.get(30, TimeUnit.SECONDS);
            try (Manager manager = Manager.connect(address, key)) {
                try {
                    ConcurrentMap<String, Integer> d = manager.dict();
                    for (int i = 0; i < PAIRS; i++) {
                        d.put("k", i);
                        if (d.get("k") == i) {
                            done++;
                        }
                    }
                } finally {
                    manager.shutdown();
                }
            }
            server.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            // a rehearsal that fails leaves the cache a little colder, nothing else
        } finally {
            if (dir != null) {
                try {
                    Sweeper.TREE.remove(dir);
                } catch (IOException e) {
                    // a JVM started after this one ends removes it (PrivateDirs)
                }
            }
        }
        return done;
    }
}
