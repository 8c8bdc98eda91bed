package org.multiprocessing4j.internal.shm;

/** What a segment holds: checked on attach, so a lock is never opened as an array. */
public final class Kinds {
    public static final int RAW = 0;
    public static final int LOCK = 1;
    public static final int RLOCK = 2;
    public static final int SEMAPHORE = 3;
    public static final int EVENT = 4;
    public static final int BARRIER = 5;
    public static final int CONDITION = 6;
    public static final int LONG = 7;
    public static final int DOUBLE = 8;
    public static final int INT_ARRAY = 9;
    public static final int LONG_ARRAY = 10;
    public static final int DOUBLE_ARRAY = 11;
    public static final int QUEUE = 12;
    public static final int JOINABLE_QUEUE = 13;
    /** A message too large for its queue's ring; kept while the queue's segment exists. */
    public static final int QUEUE_MESSAGE = 14;
    /** A pipe: a byte ring for each direction ({@code internal.conn.PipeLayout}). */
    public static final int PIPE = 15;

    private Kinds() {}
}
