package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Barriers across processes, after the JSR-166 TCK's {@code CyclicBarrierTest}. */
class BarrierIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    @Test
    void partiesMustBePositive() {
        assertThatThrownBy(() -> ctx.barrier(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> ctx.barrier(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSinglePartyTripsAtOnceWithIndexZero() throws Exception {
        try (ProcessBarrier b = ctx.barrier(1)) {
            assertThat(b.parties()).isEqualTo(1);
            assertThat(b.await()).isZero();
            assertThat(b.await(Duration.ofSeconds(1))).isZero();
            assertThat(b.waiting()).isZero();
            assertThat(b.isBroken()).isFalse();
        }
    }

    @Test
    void nProcessesMeetAgainAndAgain() throws Exception {
        int children = 3;
        int rounds = 5;
        try (ProcessBarrier b = ctx.barrier(children + 1)) {
            List<ChildProcess> all = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                String out = dir.resolve("indexes-" + i).toString();
                all.add(ctx.process(() -> {
                    StringBuilder seen = new StringBuilder();
                    for (int r = 0; r < rounds; r++) {
                        try {
                            seen.append(b.await(Duration.ofSeconds(60))).append(' ');
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    write(out, seen.toString().trim());
                }).start());
            }
            List<Integer> mine = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                mine.add(b.await(Duration.ofSeconds(60)));
            }
            for (ChildProcess c : all) {
                c.join();
                assertThat(c.exitCode()).as(c.toString()).hasValue(0);
            }
            for (int r = 0; r < rounds; r++) { // in each round the indexes are a permutation of 0..parties-1
                Set<Integer> round = new HashSet<>();
                round.add(mine.get(r));
                for (int i = 0; i < children; i++) {
                    round.add(Integer.parseInt(read(dir.resolve("indexes-" + i)).split(" ")[r]));
                }
                assertThat(round).containsExactlyInAnyOrder(0, 1, 2, 3);
            }
            assertThat(b.isBroken()).isFalse();
        }
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryone() throws Exception {
        try (ProcessBarrier b = ctx.barrier(3)) {
            Path seen = dir.resolve("seen");
            String seenName = seen.toString();
            ChildProcess waiter = ctx.process(() -> {
                try {
                    b.await();
                    write(seenName, "tripped");
                } catch (BrokenBarrierException e) {
                    write(seenName, "broken");
                } catch (InterruptedException e) {
                    write(seenName, "interrupted");
                }
            }).start();
            awaitCondition("the child waits", Duration.ofSeconds(60), () -> b.waiting() == 1);
            assertThatThrownBy(() -> b.await(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            waiter.join();
            assertThat(read(seen)).isEqualTo("broken");
            assertThat(b.isBroken()).isTrue();
            assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class);
            b.reset();
            assertThat(b.isBroken()).isFalse();
        }
    }

    @Test
    void aKilledWaitingPartyBreaksTheBarrier() throws Exception {
        try (ProcessBarrier b = ctx.barrier(3)) {
            ChildProcess doomed = ctx.process(() -> {
                try {
                    b.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            awaitCondition("the child waits", Duration.ofSeconds(60), () -> b.waiting() == 1);
            CompletableFuture<Throwable> mine = CompletableFuture.supplyAsync(() -> {
                try {
                    b.await();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            awaitCondition("this process waits", Duration.ofSeconds(60), () -> b.waiting() == 2 || mine.isDone());
            doomed.kill();
            doomed.join();
            assertThat(mine.get(60, SECONDS)).isInstanceOf(BrokenBarrierException.class);
            assertThat(b.isBroken()).isTrue();
        }
    }

    @Test
    void resetBreaksTheWaitersThenTheBarrierWorksAgain() throws Exception {
        try (ProcessBarrier b = ctx.barrier(2)) {
            CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    b.await();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            awaitCondition("a thread waits", Duration.ofSeconds(60), () -> b.waiting() == 1);
            b.reset();
            assertThat(waiter.get(60, SECONDS)).isInstanceOf(BrokenBarrierException.class);
            assertThat(b.isBroken()).isFalse();
            ChildProcess other = ctx.process(() -> {
                try {
                    b.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            assertThat(b.await(Duration.ofSeconds(60))).isIn(0, 1);
            other.join();
            assertThat(other.exitCode()).hasValue(0);
        }
    }

    @Test
    void abortBreaksItAndAnInterruptedWaiterBreaksIt() throws Exception {
        try (ProcessBarrier b = ctx.barrier(2)) {
            b.abort();
            assertThat(b.isBroken()).isTrue();
            assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class);
            b.reset();
            Thread.currentThread().interrupt();
            assertThatThrownBy(b::await).isInstanceOf(InterruptedException.class);
            assertThat(b.isBroken()).isTrue();
        }
    }

    /**
     * Runs {@code task} on a thread of its own: a task blocked in the common pool would hold up
     * {@link Process#onExit()}, which completes there, and so every {@code join()} of a child.
     */
    private static <T> CompletableFuture<T> onOwnThread(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, r -> Thread.ofPlatform().daemon().start(r));
    }

    // --- the barrier action, after CyclicBarrierTest's testBarrierAction and testResetAfterCommandException

    @Test
    void theActionRunsOncePerTripBeforeAnyPartyIsReleased() throws Exception {
        int children = 2;
        int rounds = 5;
        try (SharedLong trips = ctx.sharedLong(0); SharedLong lateRelease = ctx.sharedLong(0)) {
            try (ProcessBarrier b = ctx.barrier(children + 1, trips::incrementAndGet)) {
                List<ChildProcess> all = new ArrayList<>();
                for (int i = 0; i < children; i++) {
                    all.add(ctx.process(() -> {
                        for (int r = 0; r < rounds; r++) {
                            try {
                                b.await(Duration.ofSeconds(60));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            if (trips.get() < r + 1) {
                                lateRelease.incrementAndGet();
                            }
                        }
                    }).start());
                }
                for (int r = 0; r < rounds; r++) {
                    b.await(Duration.ofSeconds(60));
                    assertThat(trips.get()).isGreaterThanOrEqualTo(r + 1);
                }
                for (ChildProcess c : all) {
                    c.join();
                    assertThat(c.exitCode()).as(c.toString()).hasValue(0);
                }
                assertThat(trips.get()).isEqualTo(rounds);
                assertThat(lateRelease.get()).as("parties released before the action had run").isZero();
                assertThat(b.toString()).contains("with an action");
            }
        }
    }

    @Test
    void theActionRunsInTheProcessThatArrivedLast() throws Exception {
        try (SharedLong ranIn = ctx.sharedLong(0)) {
            try (ProcessBarrier b = ctx.barrier(2, () -> ranIn.set(ProcessHandle.current().pid()))) {
                ChildProcess first = ctx.process(() -> {
                    try {
                        b.await(Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).start();
                awaitCondition("the child waits at the barrier", Duration.ofSeconds(60), () -> b.waiting() == 1);
                assertThat(b.await(Duration.ofSeconds(60))).isZero();
                first.join();
                assertThat(first.exitCode()).hasValue(0);
                assertThat(ranIn.get()).isEqualTo(ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void anActionThatThrowsBreaksTheBarrierAndReachesTheLastPartyAndResetMendsIt() throws Exception {
        try (SharedLong fail = ctx.sharedLong(1); SharedLong trips = ctx.sharedLong(0)) {
            SerializableRunnable action = () -> {
                if (fail.get() != 0) {
                    throw new IllegalArgumentException("the action failed");
                }
                trips.incrementAndGet();
            };
            try (ProcessBarrier b = ctx.barrier(2, action)) {
                String outcome = dir.resolve("outcome").toString();
                ChildProcess first = ctx.process(() -> {
                    try {
                        b.await(Duration.ofSeconds(60));
                        write(outcome, "returned");
                    } catch (BrokenBarrierException e) {
                        write(outcome, "broken");
                    } catch (Exception e) {
                        write(outcome, e.toString());
                    }
                }).start();
                awaitCondition("the child waits at the barrier", Duration.ofSeconds(60), () -> b.waiting() == 1);
                assertThatThrownBy(() -> b.await(Duration.ofSeconds(60))).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("the action failed");
                first.join();
                assertThat(read(Path.of(outcome))).isEqualTo("broken");
                assertThat(b.isBroken()).isTrue();
                assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class);

                b.reset();
                fail.set(0);
                CompletableFuture<Integer> other = onOwnThread(() -> {
                    try {
                        return b.await(Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                int mine = b.await(Duration.ofSeconds(60));
                assertThat(Set.of(mine, other.get(60, SECONDS))).containsExactlyInAnyOrder(0, 1);
                assertThat(trips.get()).isEqualTo(1);
                assertThat(b.isBroken()).isFalse();
            }
        }
    }

    /** The barrier an action in this JVM asks (an action cannot capture the barrier it is made with). */
    private static volatile ProcessBarrier current;

    @Test
    void theActionMayAskTheBarrierButNotAwaitIt() throws Exception {
        try (SharedLong seen = ctx.sharedLong(-1)) {
            try (ProcessBarrier b = ctx.barrier(1, () -> seen.set(current.waiting() * 100L + current.parties()
                    + (current.isBroken() ? 1000 : 0)))) {
                current = b;
                assertThat(b.await(Duration.ofSeconds(10))).isZero();
                assertThat(seen.get()).isEqualTo(1);
            }
            try (ProcessBarrier b = ctx.barrier(1, () -> {
                try {
                    current.await();
                } catch (InterruptedException | BrokenBarrierException e) {
                    throw new IllegalStateException(e);
                }
            })) {
                current = b;
                assertThatThrownBy(b::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("action");
                assertThat(b.isBroken()).isTrue();
            } finally {
                current = null;
            }
        }
    }

    @Test
    void aNullOrUnserializableActionIsRefused() {
        assertThatThrownBy(() -> ctx.barrier(2, null)).isInstanceOf(NullPointerException.class);
        Object notSerializable = new Object();
        assertThatThrownBy(() -> ctx.barrier(2, () -> notSerializable.hashCode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serialized");
    }
}
