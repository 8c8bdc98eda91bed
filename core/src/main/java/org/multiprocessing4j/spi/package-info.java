/**
 * The door between the public API and a backend: what a backend other than the local one (the
 * cluster backend, module {@code multiprocessing4j-hazelcast}) implements and what it may use of
 * core. Not for applications: they use {@link org.multiprocessing4j.Context}. Changes with the
 * backends.
 */
package org.multiprocessing4j.spi;
