package org.multiprocessing4j.internal.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.launch.EntryPoint;
import org.multiprocessing4j.internal.launch.ProcessTable;

/**
 * Removes segments whose users all died without closing them, even by {@code kill -9}: Python's
 * {@code resource_tracker}, without its over-cleaning.
 *
 * <p>A process that creates a segment starts a tracker (a small JVM of its own, not a child that dies
 * with its parent) if it has none running, and tells it the segment's name on its stdin. The tracker
 * looks at each registered segment's attach table every {@link #PERIOD_MILLIS}: a segment whose
 * attached processes are all dead is removed. It forgets segments that are gone, and exits once its
 * creator is gone (its stdin ends) and it has none left. It never exits while its creator lives, even
 * with nothing to watch: a name written just as it exited would be lost in the pipe, and that segment
 * never removed if the creator is then killed. Unlike Python's, it removes a segment only when no
 * process is attached, never one still in use by a survivor.
 */
public final class ResourceTracker {
    static final long PERIOD_MILLIS = 200;
    private static final Object LOCK = new Object();
    private static Process tracker;        // guarded by LOCK
    private static OutputStream commands;  // guarded by LOCK

    private ResourceTracker() {}

    /** In the creating process: hands {@code name} to this process's tracker, starting one if needed. */
    static void register(String name) {
        if (!Boolean.parseBoolean(System.getProperty("mp4j.resourceTracker", "true"))) {
            return;
        }
        synchronized (LOCK) {
            try {
                if (tracker == null || !tracker.isAlive()) {
                    tracker = start();
                    commands = tracker.getOutputStream();
                }
                commands.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                commands.flush();
            } catch (IOException e) {
                tracker = null; // the sweep at the next use of shared memory covers what this misses
            }
        }
    }

    /** The pid of this process's tracker, or -1 if it has none: a child that receives no handles. */
    static long pid() {
        synchronized (LOCK) {
            return tracker == null ? -1 : tracker.pid();
        }
    }

    private static Process start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k",
                "--enable-native-access=" + (ResourceTracker.class.getModule().isNamed()
                        ? "org.multiprocessing4j" : "ALL-UNNAMED"),
                "-Dmp4j.shmDir=" + Segments.directory()));
        command.addAll(EntryPoint.librarySettings());
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            command.addAll(List.of("--module-path", modulePath));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(EntryPoint.arguments(ResourceTracker.class));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("MP4J_AUTHKEY"); // the tracker needs no key; an older version's stays out
        return builder.start();
    }

    /** The tracker's main: reads names on stdin, removes their segments once nobody alive has them open. */
    public static void main(String[] args) throws InterruptedException {
        ProcessTable.register(ProcessTable.RESOURCE_TRACKER, "resource tracker");
        Set<String> names = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        names.add(line.trim());
                    }
                }
            } catch (IOException e) {
                // our creator is gone: keep watching what it registered
            }
        }, "tracker-commands");
        reader.setDaemon(true);
        reader.start();
        while (true) {
            boolean creatorGone = !reader.isAlive(); // read first: every name it sent is in the set by now
            Thread.sleep(PERIOD_MILLIS);
            for (String name : List.copyOf(names)) {
                if (check(name)) {
                    names.remove(name);
                }
            }
            if (creatorGone && names.isEmpty()) {
                return;
            }
        }
    }

    /** Whether {@code name} is done with: gone, or just removed because nobody alive has it open. */
    private static boolean check(String name) {
        Path file = Segments.pathOf(name);
        try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < SegmentLayout.PAYLOAD_OFFSET) {
                return true; // not ours any more
            }
            MemorySegment header = channel.map(FileChannel.MapMode.READ_ONLY, 0, SegmentLayout.PAYLOAD_OFFSET, arena);
            if (Segments.anyLiveAttached(header) || Segments.keptByParent(name, header)) {
                return false;
            }
            Files.deleteIfExists(file);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // try again next period
        }
    }
}
