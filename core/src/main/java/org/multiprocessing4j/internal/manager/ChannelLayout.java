package org.multiprocessing4j.internal.manager;

/**
 * The bytes of a manager connection's shared-memory channel ({@link SharedChannel}): a header, one
 * mailbox per direction, and the two messages' bytes.
 *
 * <pre>
 *  0    MAGIC (int) | VERSION (int) | CLIENT_PID (long) | TOKEN (32 bytes)
 *  64   CALL_SEQ (int)  | SERVER_SLEEPERS (int) | CALL_LENGTH (int)      written by the client
 *  128  REPLY_SEQ (int) | CLIENT_SLEEPERS (int) | REPLY_LENGTH (int)     written by the server
 *  192  CLOSED (int): bit 0 the client closed, bit 1 the server closed
 *  256  the call's bytes (CAPACITY) | 256 + CAPACITY  the reply's bytes (CAPACITY)
 *  a length of -1: the message travels on the socket
 * </pre>
 *
 * <p>Each side's words start a cache line of their own (64 bytes), so that the client's and the
 * server's stores never share a line. Every int is 4-byte aligned, the long 8-byte aligned; the
 * sequence words are the futex words.
 */
final class ChannelLayout {
    static final int CAPACITY = 1 << 16;
    static final int TOKEN_BYTES = 32;
    static final int MAGIC = 0x4d504d43; // "MPMC"
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int CLIENT_PID = 8;
    static final int TOKEN = 16;
    static final int CALL_SEQ = 64;
    static final int SERVER_SLEEPERS = 68;
    static final int CALL_LENGTH = 72;
    static final int REPLY_SEQ = 128;
    static final int CLIENT_SLEEPERS = 132;
    static final int REPLY_LENGTH = 136;
    static final int CLOSED = 192;
    static final int CALL_BYTES = 256;
    static final int REPLY_BYTES = CALL_BYTES + CAPACITY;
    static final int SIZE = REPLY_BYTES + CAPACITY;

    static final int CLIENT_CLOSED = 1;
    static final int SERVER_CLOSED = 2;

    private ChannelLayout() {}
}
