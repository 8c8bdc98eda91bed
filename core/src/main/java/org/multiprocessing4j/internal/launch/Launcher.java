package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.launch.training.Training;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * Starts child JVMs for one start method: builds the command ({@link JvmCommand}), adds the AOT cache
 * ({@link AotCache}), and writes on the child's stdin the authkey ({@link KeyHandoff}: never in its
 * environment) and then the launch message. With {@link StartMethod#WARM_SPARE} it keeps booted JVMs waiting: {@value #DEFAULT_SPARES}
 * of them, or {@code -Dmp4j.spares=N} (1 to {@value #MAX_SPARES}), so that a pool of that many
 * workers starts on spares only.
 *
 * <p><b>Concurrency.</b> Thread-safe. Spares wait in a concurrent deque: whoever polls one owns it.
 * One background thread at a time boots the missing ones ({@code booting}); it starts
 * {@value #REPLENISH_DELAY_MILLIS} ms after a taken spare has started its target, or after a start that
 * found no spare.
 */
public final class Launcher {
    private static final Optional<AotCache> AOT = AotCache.configured();
    static final int DEFAULT_SPARES = 2;
    static final int MAX_SPARES = 64;
    /**
     * How long a taken spare has the machine to itself before its replacement boots: on a machine with
     * few cores, a JVM booting beside it would slow down the very start the spare is for (a pool
     * worker's connection, handshake and first task take some 20–30 ms after its target starts).
     */
    static final long REPLENISH_DELAY_MILLIS = 250;

    private final StartMethod method;
    private final Supplier<byte[]> warmUpRequest;
    /**
     * The class holding the first launched target of a plain child, which the plain cache's training
     * loads so the cache holds it.
     */
    private volatile String firstTargetClass;
    private final int spareCount;
    private final ConcurrentLinkedDeque<LaunchedJvm> spares = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean booting = new AtomicBoolean();
    /**
     * The AOT cache the next spares boot with: the kind of the last start that asked for a spare (a
     * plain child's at first). A spare of either kind serves any start; one of the start's own kind
     * starts and exits faster (the plain cache) or runs a pool worker's first task sooner (the full one).
     */
    private volatile AotCache.Kind spareKind = AotCache.Kind.PLAIN;

    /**
     * @param warmUpRequest a launch message whose target does nothing, like a user's: the AOT training
     *        run executes it and a warm spare deserializes it while it waits
     */
    public Launcher(StartMethod method, Supplier<byte[]> warmUpRequest) {
        this.method = method;
        this.warmUpRequest = warmUpRequest;
        this.spareCount = method == StartMethod.WARM_SPARE ? spareCount() : 0;
        if (method == StartMethod.WARM_SPARE) {
            replenish();
        }
    }

    public StartMethod method() {
        return method;
    }

    /**
     * Starts a child JVM and sends it {@code body}, a serialized {@link LaunchRequest}. Returns as soon
     * as the message is in the pipe; the child boots in parallel. A {@code poolWorker}, or a child whose
     * target holds objects (a queue, a pipe, a shared value: the forms of {@link LaunchRequest} other than
     * LAMBDA),
     * gets the AOT cache trained on a pool worker's life and a queue's, a pipe's and a manager's traffic;
     * a child whose target captures only raw values the smaller one trained on a plain child's path
     * ({@link AotCache.Kind}). A warm spare, which may become either, is booted with the kind of the
     * last start that took one.
     */
    public LaunchedJvm launch(List<String> options, byte[] body, boolean poolWorker) throws IOException {
        byte[] key = CurrentProcess.authkey();
        try {
            return launch(options, body, poolWorker || !LaunchRequest.isLambdaForm(body) ? AotCache.Kind.FULL
                    : AotCache.Kind.PLAIN, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private LaunchedJvm launch(List<String> options, byte[] body, AotCache.Kind kind, byte[] key) throws IOException {
        if (kind == AotCache.Kind.PLAIN && firstTargetClass == null && AOT.isPresent()) {
            firstTargetClass = LaunchRequest.targetClass(body);
        }
        if (method == StartMethod.WARM_SPARE && options.isEmpty()) {
            spareKind = kind; // the replacements are for starts like this one
            LaunchedJvm taken;
            while ((taken = spares.pollFirst()) != null) {
                if (!taken.isAlive()) {
                    continue;
                }
                try {
                    taken.send(key, body);
                    taken.taken();
                    taken.startedOrExited().whenComplete((r, e) -> replenishLater());
                    return taken;
                } catch (IOException e) {
                    taken.kill(); // died between the check and the write: try the next, or start fresh
                }
            }
            replenishLater(); // none left: this start is cold, and so are the next ones until then
        }
        LaunchedJvm jvm = spawn(options, Bootstrap.MODE_CHILD, kind, key);
        try {
            jvm.send(key, body);
        } catch (IOException e) {
            // The JVM ended before it read its message (a bad option, say): join() reports it, with
            // the JVM's own words from its stderr. Make sure it is not half alive.
            jvm.endAfterFailedHandOver();
        }
        return jvm;
    }

    /** {@link #replenish()}, {@value #REPLENISH_DELAY_MILLIS} ms from now. */
    private void replenishLater() {
        CompletableFuture.runAsync(this::replenish,
                CompletableFuture.delayedExecutor(REPLENISH_DELAY_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** Boots the missing spares in the background, unless that is under way already. */
    private void replenish() {
        if (!booting.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("mp4j-spare").start(() -> {
            byte[] key = CurrentProcess.authkey();
            try {
                spares.removeIf(jvm -> !jvm.isAlive());
                while (spares.size() < spareCount) {
                    LaunchedJvm fresh = spawn(List.of(), Bootstrap.MODE_SPARE, spareKind, key);
                    Children.addSpare(fresh);
                    fresh.send(key, warmUpRequest.get());
                    spares.addLast(fresh);
                }
            } catch (IOException e) {
                return; // no spare this time: the next start() spawns cold, and tries to replenish again
            } finally {
                Arrays.fill(key, (byte) 0);
                booting.set(false);
            }
            if (spares.size() < spareCount) {
                replenish(); // a spare was taken while this thread was finishing
            }
        });
    }

    private static int spareCount() {
        int count = Integer.getInteger("mp4j.spares", DEFAULT_SPARES);
        if (count < 1 || count > MAX_SPARES) {
            throw new IllegalArgumentException("mp4j.spares must be 1 to " + MAX_SPARES + ", was " + count);
        }
        return count;
    }

    /** Starts a JVM with the AOT cache of {@code kind} and hands it {@code key}; the launch message is the caller's to send. */
    LaunchedJvm spawn(List<String> options, String mode, AotCache.Kind kind, byte[] key) throws IOException {
        List<String> command = JvmCommand.base();
        AOT.ifPresent(aot -> command.addAll(aot.flagsFor(options, kind, this::startTraining)));
        command.addAll(options);
        command.addAll(JvmCommand.tail(mode));
        LaunchedJvm jvm = new LaunchedJvm(builder(command).start(), !mode.equals(Bootstrap.MODE_SPARE));
        try {
            jvm.handOver(key);
        } catch (IOException e) {
            jvm.endAfterFailedHandOver(); // it died at once (a bad option): its exit and stderr tell why
        }
        return jvm;
    }

    private void startTraining(List<String> wrapper, List<String> aotFlags, List<String> options,
            AotCache.Kind kind, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(JvmCommand.base());
        command.addAll(aotFlags);
        command.add("-D" + TrainingDeadline.PROPERTY + "=" + TrainingDeadline.seconds());
        command.add("-D" + Training.KIND_PROPERTY + "=" + kind.property());
        String targetClass = firstTargetClass;
        if (kind == AotCache.Kind.PLAIN && targetClass != null) {
            command.add("-D" + Bootstrap.TRAINING_CLASS + "=" + targetClass);
        }
        command.addAll(options);
        command.addAll(JvmCommand.tail(Bootstrap.MODE_TRAIN));
        ProcessBuilder builder = builder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] key = CurrentProcess.authkey();
        try (OutputStream control = process.getOutputStream()) {
            KeyHandoff.write(control, key);
            Frames.write(control, key, warmUpRequest.get());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        CurrentProcess.scrub(builder.environment());
        return builder;
    }
}
