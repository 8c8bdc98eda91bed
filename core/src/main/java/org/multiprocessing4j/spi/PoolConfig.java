package org.multiprocessing4j.spi;

import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableRunnable;

/**
 * What a pool was built with, every value checked by {@link AbstractPoolBuilder}. {@code initializer}
 * and {@code taskTimeout} may be null (none), {@code maxTasksPerChild} and {@code maxMemoryPerChild} 0
 * (no limit), {@code progress} null (no listener); {@code insights}: whether the workers measure where
 * their time goes.
 */
public record PoolConfig(int processes, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
        long maxMemoryPerChild, List<String> jvmOptions, ProgressListener progress, boolean insights) {}
