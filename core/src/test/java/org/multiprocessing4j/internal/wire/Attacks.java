package org.multiprocessing4j.internal.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serialized messages an authenticated but hostile peer could send: each a few bytes to a few
 * kilobytes, each built to exhaust the receiver's memory, stack or processor.
 */
public final class Attacks {
    private Attacks() {}

    /** 27 bytes: an {@code int[]} whose length field says {@code length}, and no elements. */
    public static byte[] intArray(int length) {
        return withLastInt(serialize(new int[0]), length);
    }

    /** 27 bytes: a {@code long[]} whose length field says {@code length}, and no elements. */
    public static byte[] longArray(int length) {
        return withLastInt(serialize(new long[0]), length);
    }

    /** An empty {@code HashMap} whose size field (the last int before its end-of-block mark) says {@code size}. */
    public static byte[] hashMapOfSize(int size) {
        byte[] bytes = serialize(new HashMap<>());
        int end = bytes.length - 1; // TC_ENDBLOCKDATA after buckets and size
        if (bytes[end] != 0x78) {
            throw new IllegalStateException("unexpected HashMap form");
        }
        writeInt(bytes, end - 4, size);
        return bytes;
    }

    /** {@code Object[]}s nested {@code depth} deep, serialized on a thread with stack enough to write them. */
    public static byte[] nestedArrays(int depth) {
        AtomicReference<byte[]> bytes = new AtomicReference<>();
        Thread writer = new Thread(null, () -> {
            Object o = null;
            for (int i = 0; i < depth; i++) {
                o = new Object[] {o};
            }
            bytes.set(serialize(o));
        }, "deep-writer", 512L << 20);
        writer.start();
        try {
            writer.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return bytes.get();
    }

    /**
     * Sets nested {@code depth} deep, each level's two sets in both sets of the level above (one of
     * them told apart by a string): reading it hashes every path, 2^depth of them, in about
     * {@code 60 × depth} bytes.
     */
    public static byte[] hashSetBomb(int depth) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("x");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return serialize(root);
    }

    /** Bytes the calling thread has allocated so far (HotSpot's {@code com.sun.management.ThreadMXBean}). */
    public static long allocatedBytes() {
        try {
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            return (long) hotspot.getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(java.lang.management.ManagementFactory.getThreadMXBean());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] serialize(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] withLastInt(byte[] bytes, int value) {
        writeInt(bytes, bytes.length - 4, value);
        return bytes;
    }

    private static void writeInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
