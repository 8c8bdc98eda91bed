package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ChildProcess with real child JVMs: identity, arguments, exit codes, signals, misuse, many at once. */
class ChildProcessIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void aChildIsSeenToEndWhileTheCommonPoolIsBusy() throws Exception {
        // Every common-pool thread blocked (one on a 2-core machine): Process.onExit() completes there,
        // so a join that relied on it would wait until the pool is free.
        int threads = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(threads);
        List<CompletableFuture<Void>> blockers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            blockers.add(CompletableFuture.runAsync(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        try {
            assertThat(busy.await(30, TimeUnit.SECONDS)).as("the common pool is busy").isTrue();
            ChildProcess p = Multiprocessing.local().process(() -> { }).start();
            assertThat(p.join(Duration.ofSeconds(60))).as("join saw the child end").isTrue();
            assertThat(p.exitCode()).hasValue(0);
        } finally {
            release.countDown();
            CompletableFuture.allOf(blockers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theChildIsAnotherProcessThatKnowsItsParent() {
        String out = file("who");
        ChildProcess p = ctx.process(() -> {
            ProcessInfo me = Multiprocessing.currentProcess();
            ProcessInfo parent = Multiprocessing.parentProcess().orElseThrow();
            write(out, me.name() + " " + me.pid() + " " + me.parentPid() + " " + ProcessHandle.current().pid()
                    + " " + parent.name() + " " + parent.pid());
        }).name("worker-1");
        p.start();
        p.join();
        String[] seen = read(Path.of(out)).split(" ");
        long self = ProcessHandle.current().pid();
        assertThat(seen[0]).isEqualTo("worker-1");
        assertThat(Long.parseLong(seen[1])).isEqualTo(p.pid()).isNotEqualTo(self);
        assertThat(Long.parseLong(seen[2])).isEqualTo(self);
        assertThat(Long.parseLong(seen[3])).isEqualTo(p.pid());
        assertThat(seen[4]).isEqualTo("MainProcess");
        assertThat(Long.parseLong(seen[5])).isEqualTo(self);
        assertThat(p.exitCode()).hasValue(0);
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void capturedArgumentsArrive() {
        String out = file("args");
        String name = "子进程1";
        int count = 42;
        List<String> items = List.of("a", "b");
        record Args(long id, double weight) implements Serializable {}
        Args args = new Args(7, 0.5);
        ChildProcess p = ctx.process(() -> write(out, name + "|" + count + "|" + items + "|" + args)).start();
        p.join();
        assertThat(read(Path.of(out))).isEqualTo("子进程1|42|[a, b]|Args[id=7, weight=0.5]");
    }

    /** The seed's {@code class MyProcess(Process)}: fields set in the parent are there in the child. */
    static final class MyProcess extends ChildProcess {
        private final String label;
        private final String out;

        MyProcess(String label, String out) {
            this.label = label;
            this.out = out;
        }

        @Override
        public void run() {
            write(out, label + " in " + Multiprocessing.currentProcess().name() + " pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void aSubclassTravelsWithItsFields() {
        MyProcess p = new MyProcess("process 0", file("sub"));
        p.name("进程0").start();
        p.join();
        assertThat(read(dir.resolve("sub"))).isEqualTo("process 0 in 进程0 pid " + p.pid());
    }

    @Test
    void exitCodesFollowPython() {
        ChildProcess normal = ctx.process(() -> { }).start();
        ChildProcess exits = ctx.process(() -> System.exit(3)).start();
        ChildProcess throwing = ctx.process(() -> {
            throw new IllegalStateException("boom in the child");
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            throwing.start();
            throwing.join();
        } finally {
            System.setErr(original);
        }
        normal.join();
        exits.join();
        assertThat(normal.exitCode()).hasValue(0);
        assertThat(exits.exitCode()).hasValue(3);
        assertThat(throwing.exitCode()).hasValue(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Process " + throwing.name())
                .contains("java.lang.IllegalStateException: boom in the child")
                .contains("at org.multiprocessing4j.ChildProcessIT");
    }

    @Test
    void terminateIsSigtermAndKillIsSigkill() {
        String ready = file("ready");
        ChildProcess terminated = ctx.process(() -> {
            write(ready, "running");
            sleepLong();
        }).start();
        ChildProcess killed = ctx.process(ChildProcessIT::sleepLong).start();
        awaitFile(Path.of(ready), Duration.ofSeconds(60));
        assertThat(terminated.join(Duration.ofMillis(50))).isFalse();
        assertThat(terminated.isAlive()).isTrue();
        assertThat(terminated.exitCode()).isEmpty();
        terminated.terminate();
        killed.kill();
        terminated.join();
        killed.join();
        assertThat(terminated.exitCode()).hasValue(-15);
        assertThat(killed.exitCode()).hasValue(-9);
        terminated.terminate(); // no-op once ended, as Python
        killed.kill();
        assertThat(terminated.toString()).contains("exit code -15");
    }

    @Test
    void aProcessTerminatedWhileItsJvmBootsReportsTheSignal() {
        ChildProcess p = ctx.process(ChildProcessIT::sleepLong).start();
        p.terminate();
        p.join(); // no ChildStartException: we stopped it ourselves
        assertThat(p.exitCode()).hasValue(-15);
    }

    @Test
    void joinWithATimeoutSaysWhetherItEnded() {
        String gate = file("gate");
        ChildProcess p = ctx.process(() -> {
            while (!java.nio.file.Files.exists(Path.of(gate))) {
                Thread.onSpinWait();
                sleep(Duration.ofMillis(5));
            }
        }).start();
        assertThat(p.join(Duration.ZERO)).isFalse();
        assertThat(p.join(Duration.ofMillis(100))).isFalse();
        write(gate, "go");
        assertThat(p.join(Duration.ofSeconds(60))).isTrue();
        assertThat(p.exitCode()).hasValue(0);
    }

    @Test
    void startingTwiceOrReconfiguringIsAnIllegalStateException() {
        ChildProcess p = ctx.process(() -> { }).start();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        assertThatThrownBy(() -> p.daemon(true)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.jvmOptions("-Xmx64m")).isInstanceOf(IllegalStateException.class);
        p.join();
    }

    @Test
    void aDaemonMayNotHaveChildren() {
        String out = file("daemon");
        ChildProcess p = ctx.process(() -> {
            try {
                Multiprocessing.local().process(() -> { }).start();
                write(out, "started a child");
            } catch (IllegalStateException e) {
                write(out, Multiprocessing.currentProcess().daemon() + ": " + e.getMessage());
            }
        }).daemon(true).start();
        p.join();
        assertThat(read(Path.of(out))).startsWith("true: daemonic processes are not allowed to have children");
    }

    @Test
    void aNonDaemonChildMayHaveChildrenNamedAfterIt() {
        String out = file("grandchild");
        ChildProcess p = ctx.process(() -> {
            ChildProcess grandchild = Multiprocessing.local().process(() ->
                    write(out, Multiprocessing.currentProcess().name() + " of "
                            + Multiprocessing.parentProcess().orElseThrow().name()));
            grandchild.start();
            grandchild.join();
        }).start();
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        assertThat(read(Path.of(out))).isEqualTo("ChildProcess-" + p.name().substring("ChildProcess-".length())
                + ":1 of " + p.name());
    }

    @Test
    void aJvmOptionThatStopsTheJvmIsAChildStartExceptionWithItsStderr() {
        ChildProcess p = ctx.process(() -> { }).jvmOptions("-Xmx1z");
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            p.start();
            assertThatThrownBy(p::join)
                    .isInstanceOf(ChildStartException.class)
                    .hasMessageContaining("before it started its target")
                    .hasMessageContaining("Invalid maximum heap size");
            assertThat(p.onExit()).failsWithin(10, TimeUnit.SECONDS);
        } finally {
            System.setErr(original);
        }
        assertThat(p.exitCode()).hasValue(1);
    }

    /**
     * A JVM that stops at once can close its pipe before the launch message is written; that race once
     * read its exit as a SIGKILL of ours, and the failed start as no failure at all.
     */
    @Test
    void aJvmThatStopsAtOnceIsAFailedStartEveryTime() {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            for (int i = 0; i < 10; i++) {
                ChildProcess p = ctx.process(() -> { }).jvmOptions("-Xmx1z").start();
                assertThatThrownBy(p::join).as("start %d", i).isInstanceOf(ChildStartException.class)
                        .hasMessageContaining("Invalid maximum heap size");
                assertThat(p.exitCode()).hasValue(1);
            }
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void theSerialFilterHoldsForATargetSentAsItsParts() {
        String out = file("filtered");
        int n = 3; // a String and an int: the launch message carries the lambda's parts, not a stream
        ChildProcess p = ctx.process(() -> write(out, "ran " + n))
                .jvmOptions("-Dmp4j.serialFilter=!" + ChildProcessIT.class.getName());
        assertRefusedAtStart(p, ChildProcessIT.class.getName());
        assertThat(dir.resolve("filtered")).doesNotExist();
    }

    /**
     * A target holding the library's handles beside raw values travels as its parts (form LAMBDA_SHARED):
     * the child attaches the very queue, lock, counter and event, and deserializes no {@code ChildProcess},
     * which this shows by a filter that rejects that class (every serialized launch message holds one).
     */
    @Test
    void aTargetHoldingHandlesTravelsAsItsPartsToItsChild() throws Exception {
        try (ProcessQueue<Object> queue = ctx.queue();
                ProcessLock lock = ctx.lock();
                SharedLong counter = ctx.sharedLong(0);
                ProcessEvent event = ctx.event()) {
            int n = 20;
            String label = "任务";
            queue.put(n);
            ChildProcess p = ctx.process(() -> {
                try {
                    Object taken = queue.take();
                    lock.lock();
                    try {
                        counter.addAndGet(n);
                    } finally {
                        lock.unlock();
                    }
                    queue.put(label + taken + " " + ProcessHandle.current().pid());
                    event.set();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).jvmOptions("-Dmp4j.serialFilter=!" + ChildProcess.class.getName());
            p.start();
            p.join();
            assertThat(p.exitCode()).hasValue(0);
            assertThat(queue.poll(30, TimeUnit.SECONDS)).isEqualTo("任务20 " + p.pid());
            assertThat(p.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(counter.get()).isEqualTo(20);
            assertThat(event.isSet()).isTrue();
            assertThat(lock.tryLock()).as("released by the child").isTrue();
            lock.unlock();
        }
    }

    @Test
    void theSerialFilterHoldsForAHandleATargetCaptures() throws Exception {
        String out = file("handle-filtered");
        try (ProcessQueue<Object> queue = ctx.queue()) {
            ChildProcess p = ctx.process(() -> write(out, "ran " + queue.isEmpty()))
                    // the class an object stream would read for a queue: its serial form
                    .jvmOptions("-Dmp4j.serialFilter=!org.multiprocessing4j.internal.queue.SharedQueue$Ref");
            assertRefusedAtStart(p, "SharedQueue$Ref");
        }
        assertThat(dir.resolve("handle-filtered")).doesNotExist();
    }

    @Test
    void theSerialFilterLimitsHoldForAByteArrayATargetCapturesRaw() {
        String out = file("limited");
        byte[] bytes = new byte[64]; // raw: the launch message carries the lambda's parts, not a stream
        ChildProcess p = ctx.process(() -> write(out, "ran " + bytes.length))
                .jvmOptions("-Dmp4j.serialFilter=maxarray=16");
        // As an object stream refuses a byte[64] under maxarray=16: nothing of the target runs.
        assertRefusedAtStart(p, "byte[]");
        assertThat(dir.resolve("limited")).doesNotExist();
    }

    /** Starts {@code p}, whose child's serial filter refuses its target: join says so, naming {@code what}. */
    private static void assertRefusedAtStart(ChildProcess p, String what) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream())); // the child's trace, expected
        try {
            p.start();
            assertThatThrownBy(p::join).isInstanceOf(ChildStartException.class)
                    .hasMessageContaining("rejected by the serial filter")
                    .hasMessageContaining(what);
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void jvmOptionsReachTheChild() {
        String out = file("prop");
        ChildProcess p = ctx.process(() -> write(out, System.getProperty("greeting")))
                .jvmOptions("-Dgreeting=hello", "-Xmx64m").start();
        p.join();
        assertThat(read(Path.of(out))).isEqualTo("hello");
    }

    @Test
    void onExitCompletesWithTheProcess() throws Exception {
        ChildProcess p = ctx.process(() -> { }).start();
        assertThat(p.onExit().get(60, TimeUnit.SECONDS)).isSameAs(p);
        assertThat(p.exitCode()).hasValue(0);
    }

    @Test
    void twentyProcessesAtOnceAreTwentyDistinctProcesses() {
        List<ChildProcess> started = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String out = file("many-" + i);
            int n = i;
            started.add(ctx.process(() -> write(out, n + " " + ProcessHandle.current().pid())).start());
        }
        assertThat(Multiprocessing.activeChildren()).isNotEmpty();
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            started.get(i).join();
            assertThat(started.get(i).exitCode()).hasValue(0);
            String[] seen = read(dir.resolve("many-" + i)).split(" ");
            assertThat(seen[0]).isEqualTo(Integer.toString(i));
            pids.add(Long.parseLong(seen[1]));
        }
        assertThat(pids).hasSize(20).doesNotContain(ProcessHandle.current().pid());
        assertThat(Multiprocessing.activeChildren()).doesNotContainAnyElementsOf(started);
    }

    @Test
    void killingOneChildLeavesTheParentAndTheOthersWorking() {
        String out = file("survivor");
        String gate = file("gate2");
        ChildProcess victim = ctx.process(ChildProcessIT::sleepLong).start();
        ChildProcess survivor = ctx.process(() -> {
            while (!java.nio.file.Files.exists(Path.of(gate))) {
                sleep(Duration.ofMillis(5));
            }
            write(out, "still here");
        }).start();
        victim.kill();
        victim.join();
        write(gate, "go");
        survivor.join();
        assertThat(victim.exitCode()).hasValue(-9);
        assertThat(read(Path.of(out))).isEqualTo("still here");
        assertThat(survivor.exitCode()).hasValue(0);
    }

    static void sleepLong() {
        sleep(Duration.ofSeconds(60));
    }
}
