package org.multiprocessing4j.internal.queue;

/**
 * The bytes of a queue's segment payload: a control block, an array of per-slot sequence words, and
 * the ring of 64-byte slots that records are written into.
 *
 * <pre>
 *  0        8        12       16       20       24                64
 *  +--------+--------+--------+--------+--------+-----------------+
 *  | MAGIC  |VERSION | FLAGS  | SLOTS  |SLOTSIZE| MAXSIZE         |  written once, by the creator
 *  +--------+--------+--------+--------+--------+-----------------+
 *  128: TAIL (long)  next position to claim  | 136: PUTS (long)  messages ever put     producers
 *  256: HEAD (long)  next position to take   | 264: TAKES (long) messages ever taken   consumers
 *  384: DONE (long)  joinable: taskDone calls, dropped records included
 *  512: NOT_EMPTY (int futex word) | 516: CONSUMER_WAITERS (int)
 *  640: NOT_FULL  (int futex word) | 644: PRODUCER_WAITERS (int)
 *  768: JOINED    (int futex word) | 772: JOIN_WAITERS (int)
 *  PROCS_OFFSET (1024): PROCS[PROC_ENTRIES], 64 bytes each, one per process that puts:
 *       IDENTITY (long, ProcessIds; 0 free) | PENDING_PUTS (long: permits taken, not yet claimed)
 *  SEQ_OFFSET (1024 + 64 * PROC_ENTRIES): SLOTS entries of 16 bytes: the slot's sequence word
 *       (long, see below) and its OWNER (long: the identity of the process in the word, or 0)
 *  dataOffset (SEQ_OFFSET + 16 * SLOTS, rounded up to 4096): SLOTS * SLOT_SIZE bytes of records
 * </pre>
 *
 * <p>Each group above is written by one side and starts 128 bytes from the next (two cache lines: the
 * adjacent-line prefetcher moves lines in pairs), so that a producer's words and a consumer's never
 * share a line. The messages in the queue are {@code PUTS - TAKES} (a put reserves its permit on
 * {@code PUTS} before it claims slots, a take counts itself on {@code TAKES}); a joinable queue's
 * unfinished tasks are {@code PUTS - DONE}. Neither side writes the other's counter, so a put and a
 * take never contend on one word; a bounded put reads {@code TAKES} only when its cached value says
 * the queue may be full.
 *
 * <p>A <b>position</b> is a 64-bit count of slots ever claimed; slot {@code position & (SLOTS - 1)}
 * holds it, in lap {@code position / SLOTS}. A record is {@code k} consecutive positions (wrapping at
 * the end of the ring): an 8-byte header ({@code int length, int type}) then the message bytes.
 *
 * <p>A <b>sequence word</b> describes the position its slot holds, in the manner of JCTools'
 * {@code MpmcArrayQueue}, but with the writer in it:
 *
 * <pre>
 *  63        44 43        24 23                2 1   0
 *  +-----------+------------+-------------------+-----+
 *  | lap (20)  | k (20)     | pid (22)          |state|   FREE 0, CLAIMED 1, COMMITTED 2, TAKEN 3
 *  +-----------+------------+-------------------+-----+
 * </pre>
 *
 * {@code FREE(p)} (k = pid = 0, lap of p) means position p may be claimed. Only the first slot of a
 * record changes state: the others stay {@code FREE} of their own lap until the record is released,
 * when every slot becomes {@code FREE} of the next lap. The lap in the word makes a stale reader's
 * CAS fail (an ABA would need a thread stalled for 2^20 laps). Linux pids fit 22 bits
 * ({@code PID_MAX_LIMIT} is 2^22).
 *
 * <p>A word has no room for the start time that tells a process from a later one with its pid, so the
 * slot's {@code OWNER} word beside it holds the whole identity ({@code ProcessIds}: pid and start
 * time) of the process that claimed or took the record: stored right after the CAS that put the pid
 * in the sequence word, cleared before the release that frees the slot. An {@code OWNER} whose pid is
 * not the word's (not stored yet, for a process a few instructions past its CAS or killed there) leaves
 * the question to the pid alone.
 *
 * <p>{@code PROCS} holds, for each process that puts (registered at its first put, released at its
 * close), how many permits its threads have taken on {@code PUTS} without having claimed slots yet:
 * counted up before the permit, down after the claim. A process found dead with permits pending gives
 * them back ({@code PUTS} goes down by as many), so that a producer killed between its permit and its
 * claim does not leave the queue full for ever.
 *
 * <p>Every long is 8-byte aligned.
 */
final class QueueLayout {
    static final long MAGIC = 0x4d50344a51554531L; // "MP4JQUE1"
    static final int VERSION = 3; // 3: the OWNER word of each slot, PROCS

    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 8;
    static final long FLAGS_OFFSET = 12;
    static final long SLOTS_OFFSET = 16;
    static final long SLOT_SIZE_OFFSET = 20;
    static final long MAXSIZE_OFFSET = 24;
    static final long TAIL_OFFSET = 128;
    static final long PUTS_OFFSET = 136;
    static final long HEAD_OFFSET = 256;
    static final long TAKES_OFFSET = 264;
    static final long DONE_OFFSET = 384;
    static final long NOT_EMPTY_OFFSET = 512;
    static final long CONSUMER_WAITERS_OFFSET = 516;
    static final long NOT_FULL_OFFSET = 640;
    static final long PRODUCER_WAITERS_OFFSET = 644;
    static final long JOINED_OFFSET = 768;
    static final long JOIN_WAITERS_OFFSET = 772;
    static final long PROCS_OFFSET = 1024;
    static final int PROC_ENTRIES = 64;
    static final long PROC_STRIDE = 64;
    static final long PROC_IDENTITY = 0;
    static final long PROC_PENDING_PUTS = 8;
    static final long SEQ_OFFSET = PROCS_OFFSET + PROC_STRIDE * PROC_ENTRIES;
    static final long SEQ_STRIDE = 16;
    static final long OWNER = 8;

    static final int SLOT_SIZE = 64;
    static final int RECORD_HEADER = 8;
    static final int FLAG_JOINABLE = 1;

    static final int TYPE_INLINE = 1;
    static final int TYPE_SEGMENT = 2;

    static final int FREE = 0;
    static final int CLAIMED = 1;
    static final int COMMITTED = 2;
    static final int TAKEN = 3;

    static final int MAX_SLOTS = 1 << 20;
    private static final long LAP_MASK = (1L << 20) - 1;
    private static final long K_MASK = (1L << 20) - 1;
    private static final long PID_MASK = (1L << 22) - 1;

    private QueueLayout() {}

    static long dataOffset(int slots) {
        return (SEQ_OFFSET + SEQ_STRIDE * slots + 4095) & ~4095L;
    }

    static long payloadSize(int slots) {
        return dataOffset(slots) + (long) slots * SLOT_SIZE;
    }

    static long word(long lap, long k, long pid, int state) {
        return ((lap & LAP_MASK) << 44) | ((k & K_MASK) << 24) | ((pid & PID_MASK) << 2) | state;
    }

    static long free(long lap) {
        return word(lap, 0, 0, FREE);
    }

    static long lapOf(long word) {
        return word >>> 44;
    }

    static long sameLap(long lap) {
        return lap & LAP_MASK;
    }

    static int kOf(long word) {
        return (int) ((word >>> 24) & K_MASK);
    }

    static long procOffset(int entry) {
        return PROCS_OFFSET + PROC_STRIDE * entry;
    }

    /** Whether the identity in a slot's {@code OWNER} word is of the process whose pid is in its sequence word. */
    static boolean ownerMatches(long owner, long word) {
        return owner != 0 && (owner & PID_MASK) == pidOf(word) && (owner & 0xffff_ffffL) <= PID_MASK;
    }

    static long pidOf(long word) {
        return (word >>> 2) & PID_MASK;
    }

    static int stateOf(long word) {
        return (int) (word & 3);
    }

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    /** A record's header ({@code int length} then {@code int type}) as one native-order long. */
    static long header(int length, int type) {
        return LITTLE_ENDIAN ? ((long) type << 32) | (length & 0xffffffffL) : ((long) length << 32) | (type & 0xffffffffL);
    }

    static int lengthOf(long header) {
        return (int) (LITTLE_ENDIAN ? header : header >>> 32);
    }

    static int typeOf(long header) {
        return (int) (LITTLE_ENDIAN ? header >>> 32 : header);
    }

    /** Slots a record of {@code length} message bytes takes. */
    static int slotsFor(int length) {
        return (RECORD_HEADER + length + SLOT_SIZE - 1) / SLOT_SIZE;
    }
}
