package org.multiprocessing4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member's {@code System.out} and {@code System.err}: what the local backend copies from a child JVM
 * (on its threads {@code mp4j-stdout-PID} and {@code mp4j-stderr-PID}) goes to the member's console as
 * usual and, line by line, to the topic of the driver that started the process, prefixed with the
 * member and the pid. Lines are plain strings: no object is deserialized on the way.
 */
final class OutputRouter extends OutputStream {
    static final String TOPIC_PREFIX = "mp4j.out.";
    private static final Map<Long, String> TOPICS = new ConcurrentHashMap<>();
    private static volatile HazelcastInstance hz;
    private static volatile String where = "member";

    private final PrintStream console;
    private final boolean err;
    private final ThreadLocal<ByteArrayOutputStream> line = ThreadLocal.withInitial(ByteArrayOutputStream::new);

    private OutputRouter(PrintStream console, boolean err) {
        this.console = console;
        this.err = err;
    }

    static void install(HazelcastInstance instance, String member) {
        hz = instance;
        where = member;
        System.setOut(new PrintStream(new OutputRouter(System.out, false), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new OutputRouter(System.err, true), true, StandardCharsets.UTF_8));
    }

    /** Lines of child {@code pid} go to {@code owner}'s topic from now until {@link #forget}. */
    static void route(long pid, String owner) {
        TOPICS.put(pid, TOPIC_PREFIX + owner);
    }

    static void forget(long pid) {
        TOPICS.remove(pid);
    }

    private static long childPid() {
        String name = Thread.currentThread().getName();
        String prefix = name.startsWith("mp4j-stdout-") ? "mp4j-stdout-" : name.startsWith("mp4j-stderr-") ? "mp4j-stderr-" : null;
        if (prefix == null) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        console.write(b, off, len);
        long pid = childPid();
        String topic = pid < 0 ? null : TOPICS.get(pid);
        if (topic == null) {
            return;
        }
        ByteArrayOutputStream buffer = line.get();
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                publish(topic, pid, buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
            } else if (buffer.size() < 64 * 1024) {
                buffer.write(b[i]);
            }
        }
    }

    private void publish(String topic, long pid, String text) {
        HazelcastInstance instance = hz;
        if (instance == null) {
            return;
        }
        try {
            instance.<String>getTopic(topic).publish((err ? "E" : "O") + "[" + where + " pid " + pid + "] " + text);
        } catch (RuntimeException e) {
            // the cluster is shutting down: the console has the line
        }
    }

    @Override
    public void flush() {
        console.flush();
    }
}
