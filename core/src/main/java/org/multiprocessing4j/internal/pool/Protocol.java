package org.multiprocessing4j.internal.pool;

/**
 * The messages between a pool and its workers, after the {@link
 * org.multiprocessing4j.internal.wire.Handshake}. Each is one
 * {@link org.multiprocessing4j.internal.wire.PlainFrames} frame whose first byte is its type, written
 * by a {@link org.multiprocessing4j.internal.wire.ByteWriter} and read by a
 * {@link org.multiprocessing4j.internal.wire.ByteReader}, which checks every count and length.
 *
 * <pre>
 * pool → worker   TASKS   int n, n × (long id, byte kind, int fnId, int length, bytes)
 *                 DEFINE  int fnId, int length, bytes            a function for CHUNK tasks, or a
 *                                                                stateless callable for CALL tasks
 *                 EXIT                                           finish and exit 0
 * worker → pool   HELLO   int workerId                           connected, initializer done
 *                 INIT_FAILED int workerId, int length, bytes    the initializer threw (serialized)
 *                 RESULTS long rss, int n, n × (long id, byte status, int length, bytes),
 *                         with insights: 6 × long (tasks, waiting, deserializing, working, serializing,
 *                         sending), int m, m × (long id, long nanos working, int length, UTF-8 arguments)
 * </pre>
 *
 * <p>The longs after a RESULTS frame's results, only in a pool built with insights, are the worker's
 * {@code WorkerClock} counts (items run, nanoseconds in each part) as of its last result in the frame;
 * the m entries are the tasks of the frame that became one of the worker's slowest.
 *
 * <p>A CALL task's bytes are a serialized {@code Callable}, or none if {@code fnId ≥ 0}: a callable
 * without state, DEFINEd once per worker; its result is the value. A CAPTURED task is a lambda that
 * captures values: {@code fnId} names its shape, DEFINEd once per worker, and its bytes are the
 * captured values ({@link CapturedLambda}); its result is the value. A CHUNK task's
 * bytes are an array of items for function {@code fnId}
 * ({@link org.multiprocessing4j.internal.wire.ValueArrays#encode}); its result is the array of
 * results. Results come back in the order the tasks were sent.
 */
final class Protocol {
    static final byte TASKS = 1;
    static final byte DEFINE = 2;
    static final byte EXIT = 3;
    static final byte HELLO = 10;
    static final byte INIT_FAILED = 11;
    static final byte RESULTS = 12;

    static final byte CALL = 0;
    static final byte CHUNK = 1;
    static final byte CAPTURED = 2;

    /** A task kind's name, for JFR events and messages. */
    static String kindName(byte kind) {
        return switch (kind) {
            case CALL -> "call";
            case CHUNK -> "chunk";
            case CAPTURED -> "captured";
            default -> "kind " + kind;
        };
    }

    static final byte OK = 0;
    static final byte ERROR = 1;

    /** The largest frame either side accepts. */
    static final int MAX_FRAME = Integer.MAX_VALUE - 8;

    private Protocol() {}
}
