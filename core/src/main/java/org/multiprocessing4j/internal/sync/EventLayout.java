package org.multiprocessing4j.internal.sync;

/**
 * The bytes of a {@link ShmEvent}.
 *
 * <pre>
 *  0       4         8                                                                64
 *  +-------+---------+----------------------------------------------------------------+
 *  | MAGIC | VERSION |  (cold)                                                        |
 *  +-------+---------+----------------------------------------------------------------+
 *  64: FLAG (int, 0 or 1, the futex word; written by set/clear)             .. 128
 *  128: WAITERS (int, getAndAdd by sleepers)                                .. 192
 * </pre>
 */
final class EventLayout {
    static final int MAGIC = 0x45564e54; // "EVNT"
    static final int VERSION = 1;
    static final long FLAG_OFFSET = 64;
    static final long WAITERS_OFFSET = 128;
    static final long SIZE = 192;

    private EventLayout() {}
}
