package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableRunnable;

/**
 * What a pool was built with ({@link PoolBuilder}); validated there. {@code progress} may be null (none);
 * {@code insights}: whether the workers measure where their time goes.
 */
public record PoolConfig(int processes, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
        long maxMemoryPerChild, List<String> jvmOptions, ProgressListener progress, boolean insights) {}
