package org.multiprocessing4j.internal.sync;

/**
 * The bytes of a {@link ShmSemaphore}.
 *
 * <pre>
 *  0       4         8        12                                                      64
 *  +-------+---------+--------+--------------------------------------------------------+
 *  | MAGIC | VERSION | BOUND  |  (cold: written at creation)                           |
 *  +-------+---------+--------+--------------------------------------------------------+
 *  64: COUNT (int, the futex word; CAS by acquirers and releasers)          .. 128
 *  128: WAITERS (int, getAndAdd by sleepers)                                .. 192
 * </pre>
 * {@code BOUND} is the initial count of a bounded semaphore, -1 if unbounded. The two hot words have
 * different writers (everyone vs. sleepers) and a cache line each.
 */
final class SemaphoreLayout {
    static final int MAGIC = 0x53454d41; // "SEMA"
    static final int VERSION = 1;
    static final long BOUND_OFFSET = 8;
    static final long COUNT_OFFSET = 64;
    static final long WAITERS_OFFSET = 128;
    static final long SIZE = 192;

    private SemaphoreLayout() {}
}
