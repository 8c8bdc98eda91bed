package org.multiprocessing4j.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableRunnable;

/**
 * The argument checks of {@link ProcessPool.Builder}, written once for every backend: each setter
 * validates its argument in the caller, with the bad value in the message, before any process starts.
 * A backend's builder adds {@link #build()} from {@link #config()}, and {@link #progress} if it reports
 * progress (through {@link #progressListener}).
 */
public abstract class AbstractPoolBuilder implements ProcessPool.Builder {
    private int processes;
    private SerializableRunnable initializer;
    private int maxTasksPerChild;
    private Duration taskTimeout;
    private long maxMemoryPerChild;
    private List<String> jvmOptions = List.of();
    private ProgressListener progress;
    private boolean insights;

    /** @param defaultProcesses the workers of a pool whose builder is not told {@link #processes(int)} */
    protected AbstractPoolBuilder(int defaultProcesses) {
        this.processes = requireProcesses(defaultProcesses);
    }

    private static int requireProcesses(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be ≥ 1, was " + processes);
        }
        return processes;
    }

    @Override
    public ProcessPool.Builder processes(int processes) {
        this.processes = requireProcesses(processes);
        return this;
    }

    @Override
    public ProcessPool.Builder initializer(SerializableRunnable initializer) {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    @Override
    public ProcessPool.Builder maxTasksPerChild(int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("maxTasksPerChild must be ≥ 1, was " + tasks);
        }
        this.maxTasksPerChild = tasks;
        return this;
    }

    @Override
    public ProcessPool.Builder taskTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("taskTimeout must be > 0, was " + timeout);
        }
        this.taskTimeout = timeout;
        return this;
    }

    @Override
    public ProcessPool.Builder maxMemoryPerChild(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxMemoryPerChild must be ≥ 1 byte, was " + bytes);
        }
        this.maxMemoryPerChild = bytes;
        return this;
    }

    @Override
    public ProcessPool.Builder jvmOptions(String... options) {
        for (String option : options) {
            Objects.requireNonNull(option, "a JVM option is null");
            if (option.isBlank()) {
                throw new IllegalArgumentException("a JVM option is empty");
            }
        }
        this.jvmOptions = List.of(options);
        return this;
    }

    /** For a backend that reports progress: its {@link #progress} stores the listener here. */
    protected final void progressListener(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
    }

    /** For a backend that measures insights: its {@link #insights} stores the choice here. */
    protected final void measureInsights(boolean measure) {
        this.insights = measure;
    }

    /** What this builder has been told so far. */
    protected final PoolConfig config() {
        return new PoolConfig(processes, initializer, maxTasksPerChild, taskTimeout, maxMemoryPerChild, jvmOptions,
                progress, insights);
    }
}
