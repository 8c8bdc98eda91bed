package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableRunnable;

/** {@link ProcessPool.Builder} for the local backend: every argument checked here, in the caller. */
public final class PoolBuilder implements ProcessPool.Builder {
    private final Context context;
    private int processes = Multiprocessing.cpuCount();
    private SerializableRunnable initializer;
    private int maxTasksPerChild;
    private Duration taskTimeout;
    private long maxMemoryPerChild;
    private List<String> jvmOptions = List.of();
    private ProgressListener progress;
    private boolean insights;

    public PoolBuilder(Context context) {
        this.context = context;
    }

    @Override
    public ProcessPool.Builder processes(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be ≥ 1, was " + processes);
        }
        this.processes = processes;
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

    @Override
    public ProcessPool.Builder progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public ProcessPool.Builder insights(boolean measure) {
        this.insights = measure;
        return this;
    }

    @Override
    public ProcessPool build() {
        return new LocalPool(context, new PoolConfig(processes, initializer, maxTasksPerChild, taskTimeout,
                maxMemoryPerChild, jvmOptions, progress, insights));
    }
}
