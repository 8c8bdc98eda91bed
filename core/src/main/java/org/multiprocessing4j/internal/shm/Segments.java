package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.proc.Sweeper;

/**
 * Where segments live ({@code /dev/shm/mp4j.NAME}), which of them this JVM has open, and cleaning up
 * after processes that died without closing theirs.
 *
 * <p>At this JVM's exit a shutdown hook detaches what it still has open, which removes every segment
 * whose last user it was. Segments whose users were all killed ({@code kill -9}) are removed by the
 * {@link ResourceTracker} of the process that created them, within moments; and, should that have
 * been killed too, by the next {@link #sweep()}: at the first use of shared memory in any process,
 * and by {@code mp4j clean}. The sweep also removes the temporary file of a segment whose creator was
 * killed while making it ({@code .tmp-mp4j.NAME-PID}, older than a minute).
 */
public final class Segments {
    static final String PREFIX = "mp4j.";
    /**
     * A segment being made is written under {@code .tmp-mp4j.NAME-PID}, then linked to its name
     * ({@link Segment#create}); the marker keeps the sweep of strays off other programs' files.
     */
    static final String TMP_PREFIX = ".tmp-" + PREFIX;
    /** A temporary file older than this whose creator is gone was left by a process killed while creating. */
    private static final Duration STRAY_AGE = Duration.ofMinutes(1);
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final Map<String, Integer> OPEN = new ConcurrentHashMap<>();
    /** rw------- as Python's SharedMemory: other users can neither read nor write what travels here. */
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private Segments() {}

    /**
     * Creates the file {@code path} (which must not exist) with mode 0600, {@code size} bytes, and maps
     * all of it into {@code arena}: the one way shared memory files are made, by {@link Segment} and by
     * the manager's shared channel alike.
     */
    public static MemorySegment createFile(Path path, long size, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), OWNER_ONLY)) {
            channel.truncate(size);
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1); // size the file
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        }
    }

    /**
     * The first create or open in this JVM installs the exit hook and starts the sweep of the orphans,
     * on a thread of its own: the caller's first queue or value does not wait for it (a child handed a
     * queue spent 4–8 ms of its first take listing and mapping the directory's segments). A segment made
     * meanwhile is safe from it as from another process's sweep: it has an attacher, or not yet our
     * header. Not done at class initialization: {@code mp4j ls} and {@code mp4j clean} load this class
     * and must see the orphans (to list them, or to say which they removed).
     */
    static void firstUse() {
        Started.touch();
    }

    private static final class Started {
        static {
            Runtime.getRuntime().addShutdownHook(new Thread(Segments::detachAll, "mp4j-detach-segments"));
            try {
                Thread.ofPlatform().daemon().name("mp4j-sweep-segments").start(Segments::sweep);
            } catch (OutOfMemoryError | RuntimeException e) { // no thread to be had: sweep here, as before
                sweep();
            }
        }

        static void touch() {
            // initialization is the work
        }
    }

    /** {@code /dev/shm}, or {@code java.io.tmpdir} where there is none (or {@code -Dmp4j.shmDir}). */
    public static Path directory() {
        String configured = System.getProperty("mp4j.shmDir");
        if (configured != null) {
            return Path.of(configured);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    static Path pathOf(String name) {
        return directory().resolve(PREFIX + name);
    }

    /** A fresh name for an anonymous structure: unique across processes and time. */
    public static String newName(String kind) {
        return kind + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime())
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt());
    }

    static void track(String name) {
        OPEN.merge(name, 1, Integer::sum);
    }

    static void untrack(String name) {
        OPEN.computeIfPresent(name, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Removes the message segments ({@code QUEUE.m*}) a queue that is gone left behind. */
    public static void removeMessages(String queue) {
        // whatever is not removed now, the sweep removes: their queue is gone
        new Sweeper(name -> name.startsWith(PREFIX + queue + ".m"), (file, name) -> true, Sweeper.FILE).sweep(directory());
    }

    /**
     * A queue's message segment ({@link Kinds#QUEUE_MESSAGE}, named {@code QUEUE.mSUFFIX}) has nobody
     * attached while it waits in the queue: it lives as long as its queue's segment does.
     */
    static boolean keptByParent(String name, MemorySegment header) {
        return header.get(JAVA_INT, SegmentLayout.KIND_OFFSET) == Kinds.QUEUE_MESSAGE && parentExists(name);
    }

    private static boolean parentExists(String name) {
        int dot = name.lastIndexOf(".m");
        return dot > 0 && Files.exists(pathOf(name.substring(0, dot)));
    }

    static boolean anyLiveAttached(MemorySegment memory) {
        for (int i = 0; i < SegmentLayout.SLOTS; i++) {
            long identity = (long) LONG.getAcquire(memory, SegmentLayout.ATTACHED_OFFSET + 8L * i);
            if (identity != 0 && ProcessIds.alive(identity)) {
                return true;
            }
        }
        return false;
    }

    /** The pids in a mapped segment's attach table, live ({@code true}) or dead ({@code false}). */
    static List<Long> attached(MemorySegment memory, boolean live) {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < SegmentLayout.SLOTS; i++) {
            long identity = (long) LONG.getAcquire(memory, SegmentLayout.ATTACHED_OFFSET + 8L * i);
            if (identity != 0 && ProcessIds.alive(identity) == live) {
                pids.add(ProcessIds.pid(identity));
            }
        }
        return pids;
    }

    /**
     * What {@code mp4j ls} shows of one segment: {@code attached} are the live processes in its attach
     * table, {@code dead} the pids of processes that died without detaching; {@code ours} is false for
     * a file with our prefix but not our header.
     */
    public record Info(String name, Path path, String kind, long payloadSize, long creatorPid, long createdMillis,
            List<Long> attached, List<Long> dead, boolean ours) {
        public boolean orphaned() {
            return ours && attached.isEmpty() && !("queue message".equals(kind) && parentExists(name));
        }
    }

    /** Every {@code mp4j.*} file in the directory, described; files that are not ours say so. */
    public static List<Info> list() {
        List<Info> infos = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(PREFIX)) {
                    infos.add(describe(fileName.substring(PREFIX.length()), file));
                }
            }
        } catch (IOException e) {
            // no directory: nothing to list
        }
        return infos;
    }

    private static Info describe(String name, Path file) {
        try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < SegmentLayout.PAYLOAD_OFFSET) {
                return new Info(name, file, "not ours", channel.size(), 0, 0, List.of(), List.of(), false);
            }
            MemorySegment memory = channel.map(FileChannel.MapMode.READ_ONLY, 0, SegmentLayout.PAYLOAD_OFFSET, arena);
            if (memory.get(JAVA_LONG, SegmentLayout.MAGIC_OFFSET) != SegmentLayout.MAGIC) {
                return new Info(name, file, "not ours", channel.size(), 0, 0, List.of(), List.of(), false);
            }
            int version = memory.get(JAVA_INT, SegmentLayout.VERSION_OFFSET);
            if (version != SegmentLayout.VERSION) { // its attach table means something else: not ours to judge
                return new Info(name, file, "layout version " + version, channel.size(), 0, 0, List.of(), List.of(),
                        false);
            }
            return new Info(name, file, kindName(memory.get(JAVA_INT, SegmentLayout.KIND_OFFSET)),
                    memory.get(JAVA_LONG, SegmentLayout.PAYLOAD_SIZE_OFFSET),
                    memory.get(JAVA_LONG, SegmentLayout.CREATOR_PID_OFFSET),
                    memory.get(JAVA_LONG, SegmentLayout.CREATED_MILLIS_OFFSET), attached(memory, true),
                    attached(memory, false), true);
        } catch (IOException | RuntimeException e) {
            return new Info(name, file, "unreadable", 0, 0, 0, List.of(), List.of(), false);
        }
    }

    /** Our segments that no live process has open. */
    private static final class Orphans { // in a holder: not built where this class is merely loaded
        static final Sweeper SWEEPER = new Sweeper(name -> name.startsWith(PREFIX), Segments::orphaned,
                Sweeper.FILE);
    }

    /**
     * The temporary files ({@code .tmp-mp4j.NAME-PID}) of segments whose creator was killed before it
     * linked them into place (it removes its own otherwise): no process with that pid runs that was there
     * when the file was written (a reused pid does not keep it), and it is older than a minute (a creation
     * takes milliseconds; a creator in another pid namespace is not taken for dead at once).
     */
    private static final class Strays {
        static final Sweeper SWEEPER = new Sweeper(name -> name.startsWith(TMP_PREFIX),
                Sweeper.both(Sweeper.olderThan(STRAY_AGE), Segments::creatorGone), Sweeper.FILE);
    }

    private static boolean creatorGone(Path file, String fileName) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(fileName.substring(fileName.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return false; // not a name we write
        }
        return pid > 0 && !ProcessIds.runningSince(pid, Files.getLastModifiedTime(file).toMillis());
    }

    /** Removes our segments that no live process has open, and strays of killed creators; returns the segments' names. */
    public static List<String> sweep() {
        List<String> removed = new ArrayList<>();
        for (String fileName : Orphans.SWEEPER.sweep(directory())) {
            removed.add(fileName.substring(PREFIX.length()));
        }
        Strays.SWEEPER.sweep(directory());
        return removed;
    }

    private static boolean orphaned(Path file, String fileName) {
        Info info = describe(fileName.substring(PREFIX.length()), file);
        // A queue's message segment has no attacher between its put and its take: the queue keeps it.
        boolean keptByQueue = info.kind().equals(kindName(Kinds.QUEUE_MESSAGE)) && parentExists(info.name());
        return info.orphaned() && !OPEN.containsKey(info.name()) && !keptByQueue;
    }

    /** Closes are per object; at exit, any segment this JVM still has open is detached by the sweep rule. */
    private static void detachAll() {
        if (OPEN.isEmpty()) {
            return;
        }
        // Our pid is still alive during the hook, so a plain sweep would keep our segments: check them
        // as if we were gone.
        long self = ProcessIds.self();
        for (String name : List.copyOf(OPEN.keySet())) {
            Path file = pathOf(name);
            try (Arena arena = Arena.ofConfined();
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, SegmentLayout.PAYLOAD_OFFSET, arena);
                boolean others = false;
                for (int i = 0; i < SegmentLayout.SLOTS; i++) {
                    long offset = SegmentLayout.ATTACHED_OFFSET + 8L * i;
                    long identity = (long) LONG.getAcquire(memory, offset);
                    if (identity == self) {
                        LONG.compareAndSet(memory, offset, self, 0L);
                    } else if (identity != 0 && ProcessIds.alive(identity)) {
                        others = true;
                    }
                }
                if (!others) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException | RuntimeException e) {
                // best effort at exit
            }
        }
    }

    static String kindName(int kind) {
        return switch (kind) {
            case Kinds.RAW -> "shared memory";
            case Kinds.LOCK -> "lock";
            case Kinds.RLOCK -> "rlock";
            case Kinds.SEMAPHORE -> "semaphore";
            case Kinds.EVENT -> "event";
            case Kinds.BARRIER -> "barrier";
            case Kinds.CONDITION -> "condition";
            case Kinds.LONG -> "shared long";
            case Kinds.DOUBLE -> "shared double";
            case Kinds.INT_ARRAY -> "shared int array";
            case Kinds.LONG_ARRAY -> "shared long array";
            case Kinds.DOUBLE_ARRAY -> "shared double array";
            case Kinds.QUEUE -> "queue";
            case Kinds.JOINABLE_QUEUE -> "joinable queue";
            case Kinds.QUEUE_MESSAGE -> "queue message";
            case Kinds.PIPE -> "pipe";
            default -> "kind " + kind;
        };
    }
}
