package org.multiprocessing4j.internal.conn;

/**
 * The bytes of a pipe's segment payload ({@link ShmPipe}): a control block, the two sides' words, one
 * control block per ring, then the rings' data, each on its own pages.
 *
 * <pre>
 *  0        8        12       16       20                                          64
 *  +--------+--------+--------+--------+-------------------------------------------+
 *  | MAGIC  |VERSION | FLAGS  |CAPACITY| RINGS  (written once, by the creator)     |
 *  +--------+--------+--------+--------+-------------------------------------------+
 *   64: side 0: OWNER (long) | 72: ATTACHED_BY (long) | 80: USED (int) | 84: CLOSED (int)
 *  128: side 1: the same                                                    each its own cache line
 *  192: ring 0's control block (RING_CONTROL_SIZE bytes, below)
 *  448: ring 1's control block (duplex pipes only)
 *  DATA_OFFSET (4096): ring 0's CAPACITY bytes, then ring 1's
 *
 *  a ring's control block, at its RING_OFFSET:
 *   +0:   TAIL  (long)  bytes ever published by the producer                own cache line
 *   +64:  HEAD  (long)  bytes ever consumed by the consumer                 own cache line
 *   +128: DATA  (int futex word, bumped by the producer) | +132: READERS    own cache line
 *   +192: SPACE (int futex word, bumped by the consumer) | +196: WRITERS    own cache line
 * </pre>
 *
 * <p>A <b>ring</b> is a single-producer single-consumer byte stream: the producer is the side that
 * sends on it, the consumer its other side. Ring 0 carries what side 0 sends and ring 1 what side 1
 * sends; a one-way pipe has ring 0 only, and side 1 sends on it. Positions are byte counts that never
 * wrap (a long); byte {@code p} lies at {@code DATA + (p & (CAPACITY - 1))}. {@code TAIL - HEAD} bytes
 * are readable, {@code CAPACITY - (TAIL - HEAD)} writable.
 *
 * <p>A <b>message</b> is a record of the stream, framed as on a socket: a 4-byte length (native
 * order), then the bytes, then 0–3 bytes of padding so that every record starts 4-aligned. Records
 * may wrap at the end of the ring, except the length: the capacity is a multiple of 4, so a length
 * never straddles the end. A message longer than the ring streams through it: the producer publishes
 * {@code TAIL} after each piece it copies in, the consumer {@code HEAD} after each piece it copies
 * out. Both publish only multiples of 4, so a consumer that has seen the last byte of a message has
 * seen its padding too.
 *
 * <p>{@code READERS}/{@code WRITERS} count the threads about to sleep on {@code DATA}/{@code SPACE}:
 * the other side makes the {@code futex} wake call only when one of them is non-zero.
 *
 * <p>A <b>side</b>'s words hold processes as identities ({@code ProcessIds}: pid and start time, so
 * that a reused pid is not taken for a process that died): {@code OWNER}, the process whose death ends the side (the
 * creator at first; then the last process that attached the side while nobody had used it yet, and
 * for good the first process that uses it: {@code USED} becomes 1); {@code ATTACHED_BY}, the last
 * process that attached the side (deserialized it), which tells a process that serialized it that it
 * has arrived; {@code CLOSED}, 1 once the side is closed, for good.
 *
 * <p>Every long is 8-byte aligned; each word written by a different party is on its own 64-byte line.
 */
final class PipeLayout {
    static final long MAGIC = 0x4d50344a50495045L; // "MP4JPIPE"
    static final int VERSION = 2; // 2: OWNER and ATTACHED_BY hold identities, not bare pids

    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 8;
    static final long FLAGS_OFFSET = 12;
    static final long CAPACITY_OFFSET = 16;
    static final long RINGS_OFFSET = 20;
    static final int FLAG_DUPLEX = 1;

    private static final long SIDE_OFFSET = 64;
    private static final long SIDE_SIZE = 64;
    private static final long OWNER = 0;
    private static final long ATTACHED_BY = 8;
    private static final long USED = 16;
    private static final long CLOSED = 20;

    private static final long RING_CONTROL_OFFSET = 192;
    static final long RING_CONTROL_SIZE = 256;
    static final long TAIL = 0;
    static final long HEAD = 64;
    static final long DATA = 128;
    static final long READERS = 132;
    static final long SPACE = 192;
    static final long WRITERS = 196;

    static final long DATA_OFFSET = 4096;
    static final int MIN_CAPACITY = 4096;
    static final int MAX_CAPACITY = 1 << 30;
    static final int HEADER = 4;

    static {
        if (RING_CONTROL_OFFSET + 2 * RING_CONTROL_SIZE > DATA_OFFSET) {
            throw new AssertionError("the ring control blocks run into the data");
        }
    }

    private PipeLayout() {}

    static long ownerOffset(int side) {
        return SIDE_OFFSET + SIDE_SIZE * side + OWNER;
    }

    static long attachedByOffset(int side) {
        return SIDE_OFFSET + SIDE_SIZE * side + ATTACHED_BY;
    }

    static long usedOffset(int side) {
        return SIDE_OFFSET + SIDE_SIZE * side + USED;
    }

    static long closedOffset(int side) {
        return SIDE_OFFSET + SIDE_SIZE * side + CLOSED;
    }

    static long ringOffset(int ring) {
        return RING_CONTROL_OFFSET + RING_CONTROL_SIZE * ring;
    }

    static long dataOffset(int ring, int capacity) {
        return DATA_OFFSET + (long) capacity * ring;
    }

    static long payloadSize(int rings, int capacity) {
        return DATA_OFFSET + (long) capacity * rings;
    }

    /** The ring {@code side} sends on. */
    static int ringSentBy(int side, boolean duplex) {
        return duplex ? side : 0;
    }

    /** The bytes a message of {@code length} takes in a ring: length word, bytes, padding to 4. */
    static long recordSize(int length) {
        return (HEADER + (long) length + 3) & ~3L;
    }
}
