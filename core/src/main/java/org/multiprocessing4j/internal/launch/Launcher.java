package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * Starts child JVMs for one start method: builds the command ({@link JvmCommand}), adds the AOT cache
 * ({@link AotCache}), passes the authkey in the child's environment and sends the launch message on
 * its stdin. With {@link StartMethod#WARM_SPARE} it keeps one booted JVM waiting.
 *
 * <p><b>Concurrency.</b> Thread-safe. The spare slot is an {@link AtomicReference}: whoever takes a
 * spare owns it. One spare at most boots at a time ({@code booting}), in the background, once the
 * taken spare has started its target.
 */
public final class Launcher {
    private static final Optional<AotCache> AOT = AotCache.configured();

    private final StartMethod method;
    private final Supplier<byte[]> warmUpRequest;
    private final AtomicReference<LaunchedJvm> spare = new AtomicReference<>();
    private final AtomicBoolean booting = new AtomicBoolean();

    /**
     * @param warmUpRequest a launch message whose target does nothing, like a user's: the AOT training
     *        run executes it and a warm spare deserializes it while it waits
     */
    public Launcher(StartMethod method, Supplier<byte[]> warmUpRequest) {
        this.method = method;
        this.warmUpRequest = warmUpRequest;
        if (method == StartMethod.WARM_SPARE) {
            replenish();
        }
    }

    public StartMethod method() {
        return method;
    }

    /**
     * Starts a child JVM and sends it {@code body}, a serialized {@link LaunchRequest}. Returns as soon
     * as the message is in the pipe; the child boots in parallel.
     */
    public LaunchedJvm launch(List<String> options, byte[] body) throws IOException {
        byte[] key = CurrentProcess.authkey();
        if (method == StartMethod.WARM_SPARE && options.isEmpty()) {
            LaunchedJvm taken = spare.getAndSet(null);
            if (taken != null && taken.isAlive()) {
                try {
                    taken.send(key, body);
                    // Boot the next spare once this one runs its target: on a machine with few cores
                    // a JVM booting beside it would slow down the very start the spare is for.
                    taken.startedOrExited().whenComplete((r, e) -> replenish());
                    return taken;
                } catch (IOException e) {
                    taken.kill(); // died between the check and the write: start a fresh one below
                }
            }
            replenish();
        }
        LaunchedJvm jvm = spawn(options, Bootstrap.MODE_CHILD);
        try {
            jvm.send(key, body);
        } catch (IOException e) {
            // The JVM ended before it read its message (a bad option, say): join() reports it, with
            // the JVM's own words from its stderr. Make sure it is not half alive.
            jvm.kill();
        }
        return jvm;
    }

    /** Boots a spare in the background, unless one is booting already. */
    private void replenish() {
        if (!booting.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("mp4j-spare").start(() -> {
            try {
                LaunchedJvm fresh = spawn(List.of(), Bootstrap.MODE_SPARE);
                Children.addSpare(fresh);
                fresh.send(CurrentProcess.authkey(), warmUpRequest.get());
                LaunchedJvm old = spare.getAndSet(fresh);
                if (old != null) {
                    old.retire();
                }
            } catch (IOException e) {
                // No spare this time: the next start() spawns cold, and tries to replenish again.
            } finally {
                booting.set(false);
            }
        });
    }

    LaunchedJvm spawn(List<String> options, String mode) throws IOException {
        List<String> command = JvmCommand.base();
        AOT.ifPresent(aot -> command.addAll(aot.flagsFor(options, this::startTraining)));
        command.addAll(options);
        command.addAll(JvmCommand.tail(mode));
        return new LaunchedJvm(builder(command).start());
    }

    private void startTraining(List<String> wrapper, List<String> aotFlags, List<String> options,
            Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(JvmCommand.base());
        command.addAll(aotFlags);
        command.addAll(options);
        command.addAll(JvmCommand.tail(Bootstrap.MODE_TRAIN));
        ProcessBuilder builder = builder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        try (OutputStream control = process.getOutputStream()) {
            Frames.write(control, CurrentProcess.authkey(), warmUpRequest.get());
        }
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().put(CurrentProcess.AUTHKEY_ENV, HexFormat.of().formatHex(CurrentProcess.authkey()));
        return builder;
    }
}
