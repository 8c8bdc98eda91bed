package org.multiprocessing4j.spi;

import org.multiprocessing4j.ClusterConfig;
import org.multiprocessing4j.Context;

/**
 * A cluster backend, found with {@link java.util.ServiceLoader} by
 * {@link org.multiprocessing4j.Multiprocessing#cluster(ClusterConfig)}: the module
 * {@code multiprocessing4j-hazelcast} provides one.
 */
public interface ClusterBackend {

    /** A context on the cluster {@code config} names, connected; the caller closes it if it is {@code AutoCloseable}. */
    Context connect(ClusterConfig config);
}
