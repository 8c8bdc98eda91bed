package org.multiprocessing4j.internal.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessTestSupport;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.shm.Segments;

/**
 * A connection that has carried many calls goes on in shared memory ({@link SharedChannel}); what a
 * manager promises holds there too: large values, a client that dies, a server that dies, an interrupt.
 */
class ManagerSharedMemoryIT extends ProcessTestSupport {
    /** Enough calls on one connection for it to move to shared memory. */
    private static final int MANY = 3 * Endpoint.UPGRADE_AFTER;

    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    private static void warm(ConcurrentMap<String, Integer> d) {
        for (int i = 0; i < MANY; i++) {
            d.put("warm", i);
            if (d.get("warm") != i) {
                throw new AssertionError("d.get(\"warm\") != " + i);
            }
        }
    }

    /**
     * Calls until this process's connection has moved to shared memory (it does once it has carried
     * {@link Endpoint#UPGRADE_AFTER} calls and the background warm-up of shared memory is done).
     */
    private static void warmUntilShared(ConcurrentMap<String, Integer> d) {
        Endpoint endpoint = Endpoint.of(((RemoteObject) d).address());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (endpoint.sharedLinks() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the connection did not move to shared memory");
            }
            warm(d);
        }
    }

    private static Endpoint endpoint(Manager manager) {
        return Endpoint.of(manager.address(), CurrentProcess.authkey());
    }

    @AfterEach
    void noChannelFileIsLeftBehind() throws IOException {
        try (Stream<Path> files = Files.list(Segments.directory())) {
            List<Path> ours = files.filter(f -> f.getFileName().toString()
                    .startsWith(SharedChannel.PREFIX + ProcessHandle.current().pid() + ".")).toList();
            assertThat(ours).as("manager channel files of this process").isEmpty();
        }
    }

    @Test
    void aBusyConnectionMovesToSharedMemoryAndLargeValuesStillTravel() {
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Object> d = manager.dict();
            ConcurrentMap<String, Integer> counts = manager.dict();
            warmUntilShared(counts);
            assertThat(endpoint(manager).sharedLinks()).as("one connection, in shared memory").isEqualTo(1);

            byte[] big = new byte[3 * SharedChannel.CAPACITY + 7]; // over the channel's buffer: on the socket
            Arrays.fill(big, (byte) 42);
            big[big.length - 1] = 7;
            String long16 = "λ".repeat(SharedChannel.CAPACITY);
            d.put("big", big);
            d.put("text", long16);
            assertThat((byte[]) d.get("big")).isEqualTo(big);
            assertThat(d.get("text")).isEqualTo(long16);
            d.put("small", 1);
            assertThat(d.get("small")).isEqualTo(1);

            ChildProcess child = ctx.process(() -> {
                warmUntilShared(counts);
                byte[] got = (byte[]) d.get("big");
                if (got.length != big.length || got[got.length - 1] != 7) {
                    throw new AssertionError("the child read a wrong value: " + got.length + " bytes");
                }
                byte[] back = Arrays.copyOf(got, got.length + 1);
                d.put("back", back);
                counts.put("children", 1);
            }).start();
            child.join();
            assertThat(child.exitCode()).as(child.stderrTail()).hasValue(0);
            assertThat(((byte[]) d.get("back")).length).isEqualTo(big.length + 1);
            assertThat(counts.get("children")).isEqualTo(1);
        }
    }

    @Test
    void aClientKilledInSharedMemoryReleasesItsLockAndTheServerServesOn() {
        try (Manager manager = ctx.manager()) {
            Lock lock = manager.lock();
            BlockingQueue<String> never = manager.queue();
            ConcurrentMap<String, Integer> d = manager.dict();
            String locked = dir.resolve("locked").toString();
            ChildProcess child = ctx.process(() -> {
                warmUntilShared(d); // its one connection moves to shared memory
                lock.lock();
                write(locked, "locked");
                try {
                    never.take(); // blocks on the server until killed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).start();
            awaitFile(Path.of(locked), Duration.ofSeconds(60));
            assertThat(lock.tryLock()).as("the child holds it").isFalse();
            child.kill();
            child.join();
            try {
                assertThat(lock.tryLock(60, TimeUnit.SECONDS)).as("released when the child died").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            lock.unlock();
            warm(d);
            never.add("x");
            assertThat(never.poll()).isEqualTo("x");
        }
    }

    @Test
    void aKilledServerFailsACallInSharedMemoryRatherThanHangingIt() {
        Manager manager = ctx.manager();
        try {
            ConcurrentMap<String, Integer> d = manager.dict();
            warmUntilShared(d);
            long serverPid = ((ManagerClient) manager).serverPid();
            ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();
            awaitCondition("the server's death", Duration.ofSeconds(30), () -> !isAlive(serverPid));
            assertThatThrownBy(() -> d.get("warm")).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("is gone");
        } finally {
            manager.close();
        }
    }

    @Test
    void anInterruptedCallInSharedMemoryIsAbandonedAndTheManagerServesOn() throws Exception {
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            BlockingQueue<String> empty = manager.queue();
            warmUntilShared(d);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread taker = Thread.ofPlatform().start(() -> {
                try {
                    empty.take();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            taker.interrupt(); // before the call is sent or while the server waits: it is abandoned either way
            // take() declares InterruptedException: that is what an interrupted call throws (BlockingQueue)
            assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class)
                    .hasMessageContaining("interrupted");
            taker.join();
            warm(d);
            assertThat(d.get("warm")).isEqualTo(MANY - 1);
        }
    }
}
