package org.multiprocessing4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Progress listeners on a real pool: counts reach the total, failures are counted, endless totals are unknown. */
@Timeout(120)
class PoolProgressIT extends ProcessTestSupport {
    private static ProcessPool pool;

    @BeforeAll
    static void start() {
        pool = Multiprocessing.local().pool(2);
    }

    @AfterAll
    static void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** Records every event; checks that one call's events come one at a time and in order. */
    static final class Recorder implements ProgressListener {
        final List<Progress> started = new ArrayList<>();
        final List<Progress> progress = new ArrayList<>();
        final CompletableFuture<Progress> finished = new CompletableFuture<>();
        private boolean inside;

        @Override
        public synchronized void started(Progress p) {
            enter();
            started.add(p);
            inside = false;
        }

        @Override
        public void progress(Progress p) {
            synchronized (this) {
                enter();
                assertThat(started).as("started before progress").hasSize(1);
                assertThat(finished).as("no progress after finished").isNotDone();
                if (!progress.isEmpty()) {
                    assertThat(p.done()).as("done only grows").isGreaterThan(progress.getLast().done());
                }
                progress.add(p);
                inside = false;
            }
        }

        @Override
        public synchronized void finished(Progress p) {
            enter();
            assertThat(finished.complete(p)).as("finished once").isTrue();
            inside = false;
        }

        private void enter() {
            assertThat(inside).as("one event at a time").isFalse();
            inside = true;
        }

        synchronized long lastDone() {
            return progress.isEmpty() ? 0 : progress.getLast().done();
        }

        Progress awaitFinished() throws Exception {
            return finished.get(60, SECONDS);
        }
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void mapReportsEveryItemUpToTheTotal() throws Exception {
        Recorder recorder = new Recorder();
        List<Integer> out = pool.withProgress(recorder).map(x -> x * 2, range(1000), 10);
        assertThat(out).hasSize(1000).startsWith(0, 2, 4);
        // map returns only after the listener was told the end: no wait needed here
        assertThat(recorder.finished).isDone();
        Progress end = recorder.awaitFinished();
        assertThat(end.operation()).isEqualTo("map");
        assertThat(end.done()).isEqualTo(1000);
        assertThat(end.total()).isEqualTo(1000);
        assertThat(end.failed()).isZero();
        assertThat(end.fraction()).isEqualTo(1.0);
        assertThat(recorder.started.getFirst().total()).as("the total is known at the start").isEqualTo(1000);
        assertThat(recorder.started.getFirst().done()).isZero();
        assertThat(recorder.progress).as("one event per chunk").hasSize(100);
        assertThat(recorder.lastDone()).isEqualTo(1000);
    }

    @Test
    void theBuildersListenerSeesEveryKindOfCall() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        ProgressListener each = new ProgressListener() { // a fresh recorder per call, in call order
            @Override
            public void started(Progress p) {
                Recorder r = new Recorder();
                synchronized (recorders) {
                    recorders.add(r);
                }
                r.started(p);
            }

            @Override
            public void progress(Progress p) {
                current(p).progress(p);
            }

            @Override
            public void finished(Progress p) {
                current(p).finished(p);
            }

            private Recorder current(Progress p) {
                synchronized (recorders) {
                    return recorders.getLast();
                }
            }
        };
        try (ProcessPool withBar = Multiprocessing.local().poolBuilder().processes(2).progress(each).build()) {
            Iterator<Integer> unordered = withBar.imapUnordered((Integer x) -> x + 1, range(50), 3);
            List<Integer> got = new ArrayList<>();
            unordered.forEachRemaining(got::add);
            assertThat(got).hasSize(50);
            assertThat(withBar.starmap((Integer a, Integer b) -> a * b, List.of(Map.entry(2, 3), Map.entry(4, 5))))
                    .containsExactly(6, 20);
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                int n = i;
                tasks.add((SerializableCallable<Integer>) () -> n);
            }
            assertThat(withBar.invokeAll(tasks)).hasSize(7);
            assertThat(withBar.map(x -> x, range(0))).isEmpty();
        }
        assertThat(recorders).hasSize(4);
        assertThat(recorders.stream().map(r -> r.finished.join().operation()))
                .containsExactly("imapUnordered", "starmap", "invokeAll", "map");
        assertThat(recorders.stream().map(r -> r.finished.join().done())).containsExactly(50L, 2L, 7L, 0L);
        assertThat(recorders.stream().map(r -> r.finished.join().total())).containsExactly(50L, 2L, 7L, 0L);
    }

    @Test
    void failuresAreCountedAndTheCallStillEnds() throws Exception {
        Recorder recorder = new Recorder();
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            tasks.add((SerializableCallable<Integer>) () -> {
                if (n % 5 == 0) {
                    throw new IllegalStateException("task " + n + " fails");
                }
                return n;
            });
        }
        List<Future<Integer>> futures = pool.withProgress(recorder).invokeAll(tasks);
        assertThat(futures.stream().filter(f -> f.state() == Future.State.FAILED)).hasSize(4);
        Progress end = recorder.awaitFinished();
        assertThat(end.done()).isEqualTo(20);
        assertThat(end.failed()).isEqualTo(4);

        Recorder imap = new Recorder();
        Iterator<Integer> results = pool.withProgress(imap).imap((Integer x) -> {
            if (x % 10 == 3) {
                throw new IllegalArgumentException("item " + x);
            }
            return x;
        }, range(30), 1);
        int ok = 0;
        int failed = 0;
        while (true) {
            try {
                if (!results.hasNext()) {
                    break;
                }
                results.next();
                ok++;
            } catch (CompletionException e) {
                assertThat(e).hasCauseInstanceOf(IllegalArgumentException.class);
                failed++;
            }
        }
        assertThat(ok).isEqualTo(27);
        assertThat(failed).isEqualTo(3);
        Progress imapEnd = imap.awaitFinished();
        assertThat(imapEnd.done()).isEqualTo(30);
        assertThat(imapEnd.failed()).isEqualTo(3);

        Recorder map = new Recorder();
        Throwable thrown = catchThrowable(() -> pool.withProgress(map).map((Integer x) -> 10 / (x - 7), range(40), 4));
        assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ArithmeticException.class);
        Progress mapEnd = map.awaitFinished();
        assertThat(mapEnd.failed()).as("the failed chunk's items").isEqualTo(4);
        assertThat(mapEnd.done()).isBetween(4L, 40L);
    }

    @Test
    void anEndlessImapReportsAnUnknownTotal() throws Exception {
        Recorder recorder = new Recorder();
        Iterable<Integer> endless = () -> Stream.iterate(0, i -> i + 1).iterator();
        Iterator<Integer> squares = pool.withProgress(recorder).imap((Integer x) -> x * x, endless, 5);
        for (int i = 0; i < 200; i++) {
            assertThat(squares.next()).isEqualTo(i * i);
        }
        awaitCondition("200 items reported", Duration.ofSeconds(60), () -> recorder.lastDone() >= 200);
        assertThat(recorder.started.getFirst().totalKnown()).isFalse();
        synchronized (recorder) {
            assertThat(recorder.progress).allSatisfy(p -> {
                assertThat(p.total()).isEqualTo(-1);
                assertThat(p.eta()).isEmpty();
                assertThat(p.fraction()).isNaN();
            });
        }
        assertThat(recorder.finished).isNotDone();

        Recorder finite = new Recorder();
        Iterable<Integer> twelve = () -> Stream.iterate(0, i -> i < 12, i -> i + 1).iterator();
        Iterator<Integer> it = pool.withProgress(finite).imap((Integer x) -> x, twelve, 5);
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        assertThat(n).isEqualTo(12);
        assertThat(finite.finished).as("told before hasNext() said false").isDone();
        assertThat(finite.awaitFinished().total()).as("known once the input ended").isEqualTo(12);
    }

    @Test
    void aListenersExceptionDoesNotFailTheCall() {
        ProgressListener broken = p -> {
            throw new IllegalStateException("a listener's bug");
        };
        assertThat(pool.withProgress(broken).map(x -> x + 1, range(20), 2)).hasSize(20).startsWith(1, 2);
    }
}
