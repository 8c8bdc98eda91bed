/**
 * The doors between the public API and the backends. {@link org.multiprocessing4j.spi.LocalBackend}:
 * the one way the public package reaches the local backend (its implementation lives in the
 * internals and is found by name). For a backend other than the local one (the cluster backend,
 * module {@code multiprocessing4j-hazelcast}): what it implements ({@code ClusterBackend},
 * {@code ProcessStarter}, {@code StartedProcess}) and what it shares with the local one (the pool
 * builder's checks, the map family's chunking, {@code invokeAll}/{@code invokeAny}, sealed frames).
 * Not for applications: they use {@link org.multiprocessing4j.Context}. Changes with the backends.
 */
package org.multiprocessing4j.spi;
