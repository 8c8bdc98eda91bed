package org.multiprocessing4j.internal.sync;

/**
 * The bytes of a {@link ShmBarrier}.
 *
 * <pre>
 *  0       4         8         12        16                                           64
 *  +-------+---------+---------+---------+---------------------------------------------+
 *  | MAGIC | VERSION | PARTIES | SLOTS   |  (cold: written at creation)                |
 *  +-------+---------+---------+---------+---------------------------------------------+
 *  64             72      76       80                88          92                     128
 *  +--------------+-------+--------+-----------------+-----------+----------------------+
 *  | MUTEX (long) | COUNT | BROKEN | MUTEX OWNER     | GENERATION|  (guarded by MUTEX)  |
 *  +--------------+-------+--------+-----------------+-----------+----------------------+
 *  128 + 64·i, i &lt; SLOTS: the slot of one waiting party, a cache line each
 *  +---------+---------+-------------------+------------------------------------------+
 *  | STATE   | INDEX   | PID (identity)    |                                          |
 *  +---------+---------+-------------------+------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code MUTEX}: a {@link RobustMutex} word guarding {@code COUNT} (parties waiting in this
 *       generation), {@code BROKEN}, {@code GENERATION} and the claiming of slots.</li>
 *   <li>A slot's {@code STATE} is the futex word its waiter sleeps on: {@link #FREE} →
 *       {@link #WAITING} (claimed under the mutex by an arrival, which writes {@code INDEX} and
 *       {@code PID} first: the waiter's identity, pid and start time, {@code ProcessIds}) → {@link #TRIPPED} or {@link #BROKEN} (under the mutex, by the last arrival
 *       or whoever breaks the barrier) → {@link #FREE} (by the waiter, once it has read the outcome).
 *       A waiter reads its own outcome, so a lagging waiter never confuses generations; there are
 *       {@code 2 × parties} slots so that lagging waiters rarely make an arrival wait for one.</li>
 * </ul>
 */
final class BarrierLayout {
    static final int MAGIC = 0x42415252; // "BARR"
    static final int VERSION = 2; // 2: the mutex's owner identity, slots' identities
    static final long PARTIES_OFFSET = 8;
    static final long SLOTS_OFFSET = 12;
    static final long MUTEX_OFFSET = 64;
    static final long COUNT_OFFSET = 72;
    static final long BROKEN_OFFSET = 76;
    static final long GENERATION_OFFSET = 88; // 80: the mutex's owner identity (RobustMutex.IDENTITY)
    static final long SLOT_BASE_OFFSET = 128;
    static final long SLOT_STRIDE = 64;
    static final long STATE_OFFSET = 0;
    static final long INDEX_OFFSET = 4;
    static final long PID_OFFSET = 8;

    static final int FREE = 0;
    static final int WAITING = 1;
    static final int TRIPPED = 2;
    static final int BROKEN = 3;

    static final int MAX_PARTIES = 10_000;

    static long slotOffset(int slot) {
        return SLOT_BASE_OFFSET + SLOT_STRIDE * slot;
    }

    static long size(int slots) {
        return slotOffset(slots);
    }

    private BarrierLayout() {}
}
