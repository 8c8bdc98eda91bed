package org.multiprocessing4j.internal.wire;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deserialization filter every message from another process goes through. It has two parts.
 *
 * <p><b>Limits tied to the message</b> ({@link #forMessage}): a message of {@code n} bytes cannot
 * encode more than {@code n} objects or references, and every element of every array in it takes at
 * least one byte of it (a primitive element its own width), so the arrays it announces together may
 * not claim more elements than those bytes could hold: a 27-byte message announcing {@code int[2^30]},
 * or a {@code HashMap} whose size field says 2^30 (its table is checked as a {@code Map.Entry[]}), is
 * refused before anything is allocated. Graphs deeper than {@link #MAX_DEPTH} are refused (what a
 * 1 MiB thread stack can take; the library's own receiving threads have {@link #RECEIVER_STACK}), and
 * so are hash-based collections ({@code HashMap}, {@code HashSet}, {@code Hashtable} and their
 * subclasses, {@code ConcurrentHashMap}) nested more than {@link #MAX_HASH_NESTING} deep: reading one hashes
 * its elements, and a few hundred bytes of sets that contain each other twice per level cost CPU
 * doubling with every level.
 *
 * <p><b>Classes.</b> By default an authenticated peer is trusted as Python trusts a pickle: every
 * {@code Serializable} class on the class path may be built except a short list of known
 * deserialization gadgets. The user's own rules ({@code -Dmp4j.serialFilter}, JDK filter syntax, e.g.
 * {@code "!com.example.Unsafe;com.example.**"}) are checked first. In <b>allow-list mode</b>
 * ({@code -Dmp4j.serialAllow=com.example.**,org.acme.*}, possibly empty, or {@link #allowOnly}) only
 * the classes those patterns name, this library's, and the JDK's value types ({@link #JDK_VALUES})
 * are built.
 */
public final class SerialFilter {
    /** The deepest object graph a message may hold ({@code -Dmp4j.serialMaxDepth}). */
    public static final int MAX_DEPTH = Integer.getInteger("mp4j.serialMaxDepth", 500);
    /** How deep hash-based collections ({@code HashMap}, {@code HashSet}, {@code Hashtable}) may nest. */
    public static final int MAX_HASH_NESTING = Integer.getInteger("mp4j.serialMaxHashNesting", 16);
    /** The stack of the library's threads that deserialize what peers send: {@link #MAX_DEPTH} fits with room. */
    public static final long RECEIVER_STACK = 4L << 20;

    static final String DENIED = "!org.apache.commons.collections.functors.*;"
            + "!org.apache.commons.collections4.functors.*;!org.codehaus.groovy.runtime.*;"
            + "!com.sun.org.apache.xalan.internal.xsltc.trax.*;!org.apache.xalan.xsltc.trax.*;"
            + "!org.springframework.beans.factory.*;!com.mchange.v2.c3p0.*;!javax.management.*;"
            + "!com.sun.rowset.*;!bsh.*;!org.python.core.*";
    /**
     * In allow-list mode, the JDK classes allowed besides the user's: boxed primitives, strings,
     * enums, exceptions and stack traces ({@code java.lang.*}), numbers, time, collections, and the
     * serialized form of lambdas (whose capturing class must itself be allowed).
     */
    public static final String JDK_VALUES = "java.lang.*;java.lang.invoke.SerializedLambda;java.math.*;"
            + "java.time.**;java.util.*;java.util.concurrent.*;java.util.concurrent.atomic.*;java.net.URI;"
            + "java.io.File;java.nio.file.*;java.text.*";
    static final String OWN = "org.multiprocessing4j.**";
    private static final String CHM_SEGMENT = "java.util.concurrent.ConcurrentHashMap$Segment";

    private static volatile ObjectInputFilter classes = classFilter(System.getProperty("mp4j.serialAllow"));

    private SerialFilter() {}

    /**
     * The filter for one message of {@code length} bytes: the class rules and the limits that length
     * implies. A filter keeps count while one stream is read; use a new one per message.
     */
    public static ObjectInputFilter forMessage(int length) {
        return new MessageFilter(classes, length);
    }

    /**
     * Whether the class rules (the deny list, or the allow list in allow-list mode) let {@code type} be
     * deserialized: for code that builds objects of a class without an object stream (the pool's
     * captured lambdas name their capturing class).
     */
    public static boolean allows(Class<?> type) {
        return classes.checkInput(new ClassOnly(type, -1)) != ObjectInputFilter.Status.REJECTED;
    }

    /**
     * Whether the class rules and their limits ({@code maxarray=} of {@code -Dmp4j.serialFilter}) let an
     * array of {@code type} and {@code length} elements be deserialized: for arrays that travel raw (a
     * captured {@code byte[]}), which an object stream would have held to the same limit.
     */
    public static boolean allowsArray(Class<?> type, long length) {
        return classes.checkInput(new ClassOnly(type, length)) != ObjectInputFilter.Status.REJECTED;
    }

    /** What an object stream would ask the filter about one class (an array's with its length). */
    private record ClassOnly(Class<?> serialClass, long arrayLength) implements ObjectInputFilter.FilterInfo {

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }

    /**
     * Switches this process to allow-list mode: from now on only classes matching {@code patterns}
     * (JDK filter syntax: {@code com.example.Point}, {@code com.example.*}, {@code com.example.**}),
     * this library's and the JDK's value types are deserialized.
     *
     * @throws IllegalArgumentException if a pattern is not one of the JDK's filter syntax, or rejects
     *         ({@code !…}) or sets a limit: those belong in {@code -Dmp4j.serialFilter}
     */
    public static void allowOnly(List<String> patterns) {
        for (String pattern : patterns) {
            String p = pattern.strip();
            if (p.isEmpty() || p.startsWith("!") || p.contains("=") || p.contains(";") || p.contains(",")) {
                throw new IllegalArgumentException("not a class pattern to allow: '" + pattern + "'");
            }
        }
        classes = classFilter(String.join(";", patterns));
    }

    /** Back to the default: every class but the known gadgets ({@code -Dmp4j.serialFilter} still applies). */
    public static void allowAnyClass() {
        classes = classFilter(null);
    }

    /** Whether allow-list mode is on. */
    public static boolean allowListMode() {
        return classes instanceof AllowList;
    }

    /** The class rules; {@code allowed} null for the default mode, else the allow list's patterns. */
    private static ObjectInputFilter classFilter(String allowed) {
        String user = System.getProperty("mp4j.serialFilter", "").trim();
        String rules = (user.isEmpty() ? "" : user + ";") + DENIED;
        if (allowed == null) {
            return ClassRules.of(rules);
        }
        List<String> allow = new ArrayList<>();
        for (String pattern : allowed.split("[,;]")) {
            if (!pattern.isBlank()) {
                allow.add(pattern.strip() + ";");
            }
        }
        String pattern = rules + ";" + String.join("", allow) + OWN + ";" + JDK_VALUES + ";!*";
        return new AllowList(ClassRules.of(pattern));
    }

    /** Marks the class rules of allow-list mode. */
    private record AllowList(ObjectInputFilter rules) implements ObjectInputFilter {
        @Override
        public Status checkInput(FilterInfo info) {
            return rules.checkInput(info);
        }
    }

    /**
     * The limits of one message. Concurrency: used by the one thread that reads that message's stream.
     */
    private static final class MessageFilter implements ObjectInputFilter {
        private final ObjectInputFilter classes;
        private final long length;
        private long elementBudget;      // array elements the bytes not yet claimed could still encode
        private final long[] hashDepths = new long[MAX_HASH_NESTING + 1];
        private int hashNesting;         // hash tables being read, the innermost at hashNesting - 1

        MessageFilter(ObjectInputFilter classes, int length) {
            this.classes = classes;
            this.length = length;
            this.elementBudget = length;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            long depth = info.depth();
            if (depth > MAX_DEPTH || info.references() > length || info.streamBytes() > length) {
                return Status.REJECTED;
            }
            // A call at some depth means every table read at that depth or deeper is finished.
            while (hashNesting > 0 && hashDepths[hashNesting - 1] >= depth) {
                hashNesting--;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return Status.UNDECIDED; // a back reference: counted above
            }
            if (type.isArray() && info.arrayLength() >= 0 && !claim(type, info.arrayLength(), depth)) {
                return Status.REJECTED;
            }
            return classes.checkInput(info);
        }

        private boolean claim(Class<?> type, long elements, long depth) {
            long bytes;
            if (type == Map.Entry[].class) {
                // The table of a HashMap/HashSet/Hashtable being read (checked before its entries are):
                // at most 8 slots per entry (load factor ≥ 0.25, rounded to a power of two), and each
                // entry takes a byte.
                bytes = elements / 8;
                if (!enterHashTable(depth)) {
                    return false;
                }
            } else {
                bytes = elements * width(type.getComponentType());
                // A ConcurrentHashMap's first field: a field is read one level below its object.
                if (type.getComponentType().getName().equals(CHM_SEGMENT) && !enterHashTable(depth - 1)) {
                    return false;
                }
            }
            elementBudget -= bytes;
            return elementBudget >= 0;
        }

        private boolean enterHashTable(long depth) {
            if (hashNesting == MAX_HASH_NESTING) {
                return false;
            }
            hashDepths[hashNesting++] = depth;
            return true;
        }

        private static int width(Class<?> component) {
            if (component == long.class || component == double.class) {
                return 8;
            } else if (component == int.class || component == float.class) {
                return 4;
            } else if (component == short.class || component == char.class) {
                return 2;
            }
            return 1; // byte, boolean, and a reference (its tag byte at least)
        }
    }
}
