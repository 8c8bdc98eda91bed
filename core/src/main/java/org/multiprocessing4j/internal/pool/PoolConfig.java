package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.SerializableRunnable;

/** What a pool was built with ({@link PoolBuilder}); validated there. */
public record PoolConfig(int processes, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
        long maxMemoryPerChild, List<String> jvmOptions) {}
