package org.multiprocessing4j.internal.shm;

/**
 * The header every multiprocessing4j segment starts with; the structure's own bytes (a lock word, a
 * value, an array …) follow at {@link #PAYLOAD_OFFSET}.
 *
 * <pre>
 *  0       8       12      16              24              32              40              48
 *  +-------+-------+-------+---------------+---------------+---------------+---------------+---------- …
 *  | MAGIC |VERSION| KIND  | PAYLOAD_SIZE  | CREATOR_PID   | CREATED_MILLIS| HANDOFFS      | reserved to 64
 *  +-------+-------+-------+---------------+---------------+---------------+---------------+---------- …
 *  64: ATTACHED[SLOTS], one long per slot: the identity ({@link org.multiprocessing4j.internal.proc.ProcessIds}: pid, start time) of a
 *      process that has the segment open, or 0
 *  PAYLOAD_OFFSET (4096, a page): the payload
 * </pre>
 *
 * <p>{@code HANDOFFS} counts handles of the segment serialized for another process and not yet
 * deserialized there: a process that closes its last handle while it is positive keeps its slot
 * (see {@code Attachments}).
 *
 * <p>Every long is 8-byte aligned; the attach table starts on its own cache line, and the payload on
 * its own page, so the structure's hot words never share a line with the header's.
 */
public final class SegmentLayout {
    public static final long MAGIC = 0x4d50344a53484d31L; // "MP4JSHM1"
    public static final int VERSION = 2; // 2: attach slots hold identities, not bare pids; HANDOFFS
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long KIND_OFFSET = 12;
    public static final long PAYLOAD_SIZE_OFFSET = 16;
    public static final long CREATOR_PID_OFFSET = 24;
    public static final long CREATED_MILLIS_OFFSET = 32;
    public static final long HANDOFFS_OFFSET = 40;
    public static final long ATTACHED_OFFSET = 64;
    public static final int SLOTS = 500;
    public static final long PAYLOAD_OFFSET = 4096;

    static {
        if (ATTACHED_OFFSET + 8L * SLOTS > PAYLOAD_OFFSET) {
            throw new AssertionError("the attach table runs into the payload");
        }
    }

    private SegmentLayout() {}
}
