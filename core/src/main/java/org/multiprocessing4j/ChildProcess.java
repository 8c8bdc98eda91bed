package org.multiprocessing4j;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.spi.LocalBackend;
import org.multiprocessing4j.spi.ProcessStarter;
import org.multiprocessing4j.spi.StartedProcess;

/**
 * A process that runs in its own JVM: Python's {@code multiprocessing.Process}.
 *
 * <p>Give it a target, {@code ctx.process(() -> work(a)).start()}, or subclass it and override
 * {@link #run()}; the subclass's fields travel to the child with it, as Python pickles the process
 * object. Everything the target captures must be {@link Serializable}; what is not fails
 * {@link #start()} in this process, naming the class, and nothing is started.
 *
 * <pre>{@code
 * ChildProcess p = Multiprocessing.local().process(() -> System.out.println("hello from a child"));
 * p.start();
 * p.join();
 * p.exitCode(); // OptionalInt[0]
 * }</pre>
 *
 * <p><b>Implementation notes.</b>
 * <ul>
 *   <li><i>Lifecycle.</i> New (configurable) → started ({@link #start()} sent the launch message; the
 *       child boots in parallel) → ended ({@link #exitCode()} present). A process starts once.</li>
 *   <li><i>Exit codes</i>, Python's: 0 when {@code run()} returns; n for {@code System.exit(n)}; 1 when
 *       {@code run()} throws (the stack trace goes to the child's stderr); −N when killed by signal N.</li>
 *   <li><i>Output.</i> The child's stdout and stderr are copied to this JVM's {@code System.out} and
 *       {@code System.err}; once {@link #join()} returns, all of it has been.</li>
 *   <li><i>Failure.</i> A child that dies before it starts its target (a bad JVM option, a class it
 *       cannot load) makes {@link #join()} throw {@link ChildStartException} with its stderr. A child
 *       exits within moments of this JVM's death, even by SIGKILL (its control channel closes).</li>
 *   <li><i>Concurrency.</i> Configuration and {@code start()} are guarded by {@code this}; the other
 *       methods may be called from any thread once started.</li>
 * </ul>
 */
public class ChildProcess implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SerializableRunnable target; // null when a subclass overrides run()
    private final String identity;
    private String name;                        // guarded by this
    private boolean daemon;                     // guarded by this
    // Only the parent needs it; and serializing any array makes the JDK compute its serialVersionUID
    // with SHA-1, which costs a child 10-15 ms of security-provider start-up.
    private transient String[] jvmOptions = new String[0]; // guarded by this

    private transient ProcessStarter starter;   // its context's backend; null: the default local context
    private transient volatile StartedProcess jvm; // set once, by start()

    /** A process that runs {@code target}, started by the default context ({@link Multiprocessing#local()}). */
    public ChildProcess(SerializableRunnable target) {
        this(Objects.requireNonNull(target, "target"), null, LocalBackend.get().nextChildIdentity());
    }

    /** For subclasses that override {@link #run()}. */
    protected ChildProcess() {
        this(null, null, LocalBackend.get().nextChildIdentity());
    }

    /**
     * A process that runs {@code target} (or, if it is null, a subclass's {@link #run()}) where
     * {@code starter} starts it: a backend's door ({@link org.multiprocessing4j.spi}); applications
     * get processes from {@link Context#process}.
     */
    protected ChildProcess(SerializableRunnable target, ProcessStarter starter) {
        this(target, Objects.requireNonNull(starter, "starter"), LocalBackend.get().nextChildIdentity());
    }

    private ChildProcess(SerializableRunnable target, ProcessStarter starter, String identity) {
        this.target = target;
        this.starter = starter;
        this.identity = identity;
        this.name = "ChildProcess-" + identity;
    }

    /**
     * A launch message like a user's (a lambda capturing values, inside this class): the AOT cache's
     * training run executes it, and a warm spare's warm-up deserializes it, so that what a real launch
     * loads and links is ready. Its target rehearses, through the local backend's door, a pool worker's
     * life, a queue's, a pipe's and a manager's traffic within the one JVM
     * ({@code internal.launch.training}), which
     * puts their classes and method profiles in the cache too. It takes no number from the child counter.
     */
    static byte[] warmUpRequest() {
        String text = "warm-up";
        int number = 3;
        ChildProcess probe = new ChildProcess(() -> {
            if (text.length() + number < 0) {
                throw new AssertionError();
            }
            LocalBackend.get().rehearse(); // only where the target runs: the AOT training
        }, null, "0");
        probe.name = "aot-training";
        return probe.encode();
    }

    /** What the local context may do with processes that only this package can: granted through the backend's door. */
    static final LocalBackend.Processes PROCESSES = new LocalBackend.Processes() {
        @Override
        public ChildProcess create(SerializableRunnable target, ProcessStarter starter) {
            return new ChildProcess(Objects.requireNonNull(target, "target"), starter);
        }

        @Override
        public byte[] launchMessage(ChildProcess process) {
            return process.encode();
        }

        @Override
        public byte[] warmUpRequest() {
            return ChildProcess.warmUpRequest();
        }

        @Override
        public Class<?> targetClass(ChildProcess process) {
            return process.target != null ? process.target.getClass() : process.getClass();
        }
    };

    /** What the child runs: the target by default. Override it in a subclass instead of giving a target. */
    public void run() {
        if (target != null) {
            target.run();
        }
    }

    /** Sets the name, which the child sees as {@code Multiprocessing.currentProcess().name()}. */
    public synchronized ChildProcess name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    public synchronized String name() {
        return name;
    }

    /**
     * Marks the process as a daemon (before {@link #start()}): it is terminated when this JVM exits, this
     * JVM does not wait for it, and it may not start children of its own.
     */
    public synchronized ChildProcess daemon(boolean daemon) {
        requireNew("set daemon on");
        this.daemon = daemon;
        return this;
    }

    public synchronized boolean isDaemon() {
        return daemon;
    }

    /** Extra options for the child's JVM ({@code -Xmx256m}, {@code -Dkey=value} …), before {@link #start()}. */
    public synchronized ChildProcess jvmOptions(String... options) {
        requireNew("set jvmOptions on");
        for (String option : options) {
            Objects.requireNonNull(option, "a JVM option is null");
            if (option.isBlank()) {
                throw new IllegalArgumentException("a JVM option is empty: " + java.util.Arrays.toString(options));
            }
        }
        this.jvmOptions = options.clone();
        return this;
    }

    /**
     * Starts the child JVM and hands it this process object. Returns once the launch message is on its
     * way; the child boots in parallel.
     *
     * @throws IllegalStateException if it was already started, or this process is a daemon
     *         ("daemonic processes are not allowed to have children")
     * @throws IllegalArgumentException if the target, or a field of this object, is not serializable;
     *         the message names the class. Nothing was started.
     * @throws UncheckedIOException if the JVM could not be started at all
     */
    public ChildProcess start() {
        long calledAt = LocalBackend.get().traceClock();
        StartedProcess started;
        synchronized (this) {
            if (isCurrent()) {
                throw new IllegalStateException(name + " is the current process; only its parent can start it");
            }
            if (jvm != null) {
                throw new IllegalStateException(name + " was already started (pid " + jvm.pid()
                        + "); a process can be started only once");
            }
            if (LocalBackend.get().currentIsDaemon()) {
                throw new IllegalStateException("daemonic processes are not allowed to have children ("
                        + LocalBackend.get().currentProcess().name() + " is a daemon)");
            }
            ProcessStarter using = starter != null ? starter : Multiprocessing.defaultStarter();
            try {
                started = using.start(this, List.of(jvmOptions));
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the JVM of " + name, e);
            }
            jvm = started;
        }
        LocalBackend.get().started(this, started, daemon, calledAt);
        return this;
    }

    /** The launch message of this process, for a child JVM on this machine. */
    byte[] encode() {
        try {
            return LocalBackend.get().launchMessage(this, getClass() == ChildProcess.class ? target : null, name,
                    identity, daemon);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(name + " cannot be sent to its child JVM: " + e.getMessage()
                    + " is not Serializable (it is captured by the target lambda, or is a field of "
                    + getClass().getName() + "). Nothing was started.", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + " cannot be sent to its child JVM: " + e
                    + ". Nothing was started.", e);
        }
    }

    /**
     * Waits until the process has ended. Like {@link CompletableFuture#join()} it is not interrupted
     * (the interrupt status is kept); use {@link #join(Duration)} or {@link #onExit()} to wait
     * interruptibly.
     *
     * @throws IllegalStateException if it was not started
     * @throws ChildStartException if the child JVM ended before it started the target
     */
    public void join() {
        StartedProcess j = started("join");
        boolean interrupted = false;
        while (true) {
            try {
                j.exited().get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        checkStarted(j);
    }

    /**
     * Waits at most {@code timeout} for the process to end.
     *
     * @return whether it has ended
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if it was not started
     * @throws ChildStartException if the child JVM ended before it started the target
     * @throws java.util.concurrent.CancellationException never; an interrupt while waiting returns
     *         {@code false} with the interrupt status set
     */
    public boolean join(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be ≥ 0, was " + timeout);
        }
        StartedProcess j = started("join");
        try {
            j.exited().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        checkStarted(j);
        return true;
    }

    private void checkStarted(StartedProcess j) {
        LocalBackend.get().joined(j, name());
        int code = j.exitCode();
        if (!j.started() && code > 0) { // (a child we signalled reports the signal: code < 0)
            throw new ChildStartException(name(), j.pid(), code, j.stderrTail());
        }
    }

    /** A future completed with this process when it ends (exceptionally with {@link ChildStartException}). */
    public CompletableFuture<ChildProcess> onExit() {
        StartedProcess j = started("wait for");
        return j.exited().thenApply(done -> {
            checkStarted(j);
            return this;
        });
    }

    /** Whether it was started and has not yet ended. */
    public boolean isAlive() {
        StartedProcess j = jvm;
        return j != null && j.isAlive();
    }

    /** The exit code in Python's convention, or empty if not started or still running. */
    public OptionalInt exitCode() {
        StartedProcess j = jvm;
        if (j == null || !j.exited().isDone()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(j.exitCode());
    }

    /** The child's process id. @throws IllegalStateException if it was not started */
    public long pid() {
        if (isCurrent()) {
            return ProcessHandle.current().pid();
        }
        return started("take the pid of").pid();
    }

    /**
     * The last lines (at most 25) the child wrote on its stderr, for error messages and logs; empty if
     * it was not started or wrote nothing.
     */
    public String stderrTail() {
        StartedProcess j = jvm;
        return j == null ? "" : j.stderrTail();
    }

    /** Sends SIGTERM (the child runs its shutdown hooks, then ends with −15). No-op once it has ended. */
    public void terminate() {
        started("terminate").terminate();
    }

    /** Sends SIGKILL (ends with −9). No-op once it has ended. */
    public void kill() {
        started("kill").kill();
    }

    private StartedProcess started(String action) {
        if (isCurrent()) {
            throw new IllegalStateException("cannot " + action + " " + name() + " from inside itself");
        }
        StartedProcess j = jvm;
        if (j == null) {
            throw new IllegalStateException("cannot " + action + " " + name() + ": it was not started");
        }
        return j;
    }

    private synchronized void requireNew(String action) {
        if (jvm != null) {
            throw new IllegalStateException("cannot " + action + " " + name + ": it was already started");
        }
    }

    /** Whether this object is the process this JVM runs (the child's copy of itself). */
    private boolean isCurrent() {
        return LocalBackend.get().isCurrent(this);
    }

    @Override
    public String toString() {
        StartedProcess j = jvm;
        String state;
        if (isCurrent()) {
            state = "current, pid " + ProcessHandle.current().pid();
        } else if (j == null) {
            state = "initial";
        } else if (exitCode().isPresent()) {
            state = "pid " + j.pid() + ", stopped, exit code " + exitCode().getAsInt();
        } else {
            state = "pid " + j.pid() + ", started";
        }
        if (j != null && j.location() != null) {
            state += ", on " + j.location();
        }
        return getClass().getSimpleName() + "[" + name() + ", " + state + (daemon ? ", daemon" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
