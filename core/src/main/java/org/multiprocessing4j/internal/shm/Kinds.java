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

    private Kinds() {}
}
