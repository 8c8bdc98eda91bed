package org.multiprocessing4j.internal.sync;

/**
 * The bytes of a {@link ShmLock} (the payload of its segment).
 *
 * <pre>
 *  0       4         8          12          16                                          64
 *  +-------+---------+----------+-----------+-------------------------------------------+
 *  | MAGIC | VERSION | REENTRANT| CONDITIONS|  (cold: written at creation / newCondition)
 *  +-------+---------+----------+-----------+-------------------------------------------+
 *  64             72      76          80              88                               128
 *  +--------------+-------+-----------+---------------+--------------------------------+
 *  | WORD (long)  | HOLDS | RECOVERED | OWNER (long)  | (hot: the lock word and what   |
 *  +--------------+-------+-----------+---------------+  its owner writes)             +
 *  128 + 64·i, i &lt; MAX_CONDITIONS: condition slot i, one cache line each
 *  +---------+----------+----------+--------------------------------------------------+
 *  | SEQ     | WAITERS  | SHARED   |                                                  |
 *  +---------+----------+----------+--------------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code WORD}: {@link RobustMutex}'s word; its low half is the futex word.</li>
 *   <li>{@code OWNER}: the holder's identity, pid and start time ({@link RobustMutex#IDENTITY}).</li>
 *   <li>{@code HOLDS}, {@code RECOVERED}: hold count and "taken from a dead owner", written by the owner
 *       only, under the lock.</li>
 *   <li>{@code CONDITIONS}: how many conditions {@code newCondition()} has handed out (atomic add,
 *       read unsigned); condition {@code n} has slot {@code n mod MAX_CONDITIONS}.</li>
 *   <li>{@code SEQ}: a slot's futex word, bumped by each signal; {@code WAITERS}: how many wait on it;
 *       {@code SHARED}: 1 once a second condition has the slot (then every signal wakes all its
 *       waiters, so that the one meant is among them).</li>
 * </ul>
 * Every word is aligned to its size; the lock word and each condition have a cache line to themselves.
 */
final class LockLayout {
    static final int MAGIC = 0x4c4f434b; // "LOCK"
    static final int VERSION = 3; // 2: OWNER; 3: SHARED condition slots
    static final long REENTRANT_OFFSET = 8;
    static final long CONDITIONS_OFFSET = 12;
    static final long WORD_OFFSET = 64;
    static final long HOLDS_OFFSET = 72;
    static final long RECOVERED_OFFSET = 76;
    static final long CONDITION_BASE_OFFSET = 128;
    static final long CONDITION_STRIDE = 64;
    static final long SEQ_OFFSET = 0;
    static final long COND_WAITERS_OFFSET = 4;
    static final long COND_SHARED_OFFSET = 8;
    static final int MAX_CONDITIONS = 62;
    static final long SIZE = CONDITION_BASE_OFFSET + CONDITION_STRIDE * MAX_CONDITIONS;

    static long conditionOffset(int index) {
        return CONDITION_BASE_OFFSET + CONDITION_STRIDE * index;
    }

    private LockLayout() {}
}
