package org.multiprocessing4j.internal.sync;

/**
 * The bytes of a {@link ShmSemaphore}.
 *
 * <pre>
 *  0       4         8        12        16        20                                  64
 *  +-------+---------+--------+---------+---------+-----------------------------------+
 *  | MAGIC | VERSION | BOUND  | INITIAL | USED    |  (cold: written at creation; USED  |
 *  |       |         |        |         |         |   when a process takes a slot)     |
 *  +-------+---------+--------+---------+---------+-----------------------------------+
 *  64: COUNT (int, the futex word; CAS by acquirers and releasers)          .. 128
 *  128: WAITERS (int, getAndAdd by sleepers), 132: MULTI (int, sleepers
 *       that want more than one permit)                                     .. 192
 *  192: HOLDERS, {@link ProcessCounts#SLOTS} × 16 bytes (identity, count): the permits each process holds
 * </pre>
 * {@code BOUND} is the initial count of a bounded semaphore, -1 if unbounded; {@code INITIAL} the
 * initial count, the ceiling of the permits given back from dead holders. The two hot words have
 * different writers (everyone vs. sleepers) and a cache line each; {@code USED} is the high-water mark
 * of {@code HOLDERS}.
 */
final class SemaphoreLayout {
    static final int MAGIC = 0x53454d41; // "SEMA"
    static final int VERSION = 2;
    static final long BOUND_OFFSET = 8;
    static final long INITIAL_OFFSET = 12;
    static final long USED_OFFSET = 16;
    static final long COUNT_OFFSET = 64;
    static final long WAITERS_OFFSET = 128;
    static final long MULTI_OFFSET = 132;
    static final long HOLDERS_OFFSET = 192;
    static final long SIZE = HOLDERS_OFFSET + ProcessCounts.TABLE_BYTES;

    private SemaphoreLayout() {}
}
