package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.multiprocessing4j.internal.proc.ProcessIds;
import org.multiprocessing4j.internal.proc.Sweeper;

/**
 * The machine's table of live multiprocessing4j processes, which {@code mp4j ps} reads: one small
 * file per process, named by its pid, saying its role ({@link #PROGRAM}, {@link #CHILD},
 * {@link #POOL_WORKER} …), its name, its parent and its command.
 *
 * <p><b>Lifecycle.</b> A process writes its file when it takes a role (the user's program on its first
 * use of the local backend, a child before its target runs, a pool worker or manager server when it
 * starts serving) and rewrites it when its role becomes more specific; an exit hook removes it. A
 * child killed with {@code kill -9} leaves its file, which its parent removes when it sees the end
 * ({@link #forgetEnded}). What remains when the parent is killed too, readers skip (a pid that is not
 * alive, or alive but started after the file was written: a reused pid) and remove.
 *
 * <p>Directory: {@code /dev/shm/mp4j-ps-USER} (the temporary directory where there is no
 * {@code /dev/shm}), or {@code -Dmp4j.psDir}. Files are written whole and moved into place, so a reader
 * never sees half of one.
 */
public final class ProcessTable {
    public static final String PROGRAM = "program";
    public static final String CHILD = "child";
    public static final String POOL_WORKER = "pool worker";
    public static final String MANAGER_SERVER = "manager server";
    public static final String SPARE = "warm spare";
    public static final String AOT_TRAINING = "aot training";
    public static final String RESOURCE_TRACKER = "resource tracker";

    private static final Object LOCK = new Object();
    private static String registered; // guarded by LOCK: this JVM's role, or null

    /** One process of the table, as its file says. */
    public record Entry(long pid, String role, String name, long parentPid, String command, long registeredMillis) {}

    private ProcessTable() {}

    /** This JVM takes {@code role} with {@code name}, replacing the role it had. */
    public static void register(String role, String name) {
        synchronized (LOCK) {
            write(role, name);
        }
    }

    /** This JVM takes {@code role} unless it has one already (a child that uses the backend stays a child). */
    public static void registerIfAbsent(String role, String name) {
        synchronized (LOCK) {
            if (registered == null) {
                write(role, name);
            }
        }
    }

    private static void write(String role, String name) {
        long pid = ProcessHandle.current().pid();
        // Properties' own format, written by hand: Properties.store dates its comment (the time-zone
        // database, some 10 ms) and sorts its keys through a lambda spun at run time, on every child's
        // path to its target.
        StringBuilder text = new StringBuilder(256);
        entry(text, "role", role);
        entry(text, "name", name);
        entry(text, "parent", Long.toString(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L)));
        entry(text, "command", ProcessHandle.current().info().command().orElse("java"));
        entry(text, "registered", Long.toString(System.currentTimeMillis()));
        // java.io rather than Files: NIO's file channel (its classes' initialization) cost a child
        // 1-10 ms on its path to its target, for one small file; rename(2) replaces atomically.
        try {
            File directory = directoryFile();
            if (!directory.isDirectory() && !directory.mkdirs() && !directory.isDirectory()) {
                return;
            }
            File tmp = new File(directory, "." + pid + ".tmp");
            try (FileOutputStream out = new FileOutputStream(tmp)) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (!tmp.renameTo(new File(directory, Long.toString(pid)))) {
                tmp.delete();
                return;
            }
            if (registered == null) {
                Runtime.getRuntime().addShutdownHook(new Thread(ProcessTable::remove, "mp4j-process-table"));
            }
            registered = role;
        } catch (IOException | RuntimeException e) {
            // The table is for people looking at the machine; a process that cannot write it works on.
        }
    }

    /** {@code key=value} and a line feed, escaped as {@link Properties#load(Reader)} reads it back. */
    static void entry(StringBuilder text, String key, String value) {
        text.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\f' -> text.append("\\f");
                case ' ', '=', ':', '#', '!' -> text.append('\\').append(c);
                default -> text.append(c);
            }
        }
        text.append('\n');
    }

    private static void remove() {
        // gone already, or readers will skip it once this pid is dead; java.io, as write
        new File(directoryFile(), Long.toString(ProcessHandle.current().pid())).delete();
    }

    /**
     * Removes the file of a child of this JVM that has ended, {@code endedMillis} being when its end was
     * seen: a child killed with {@code kill -9} leaves its file, which only a reader ({@code mp4j ps})
     * would remove otherwise, so a machine whose programs kill children kept thousands. Only a file
     * that names this JVM as the parent and was written before the end is removed: a process that took
     * the pid since writes its file later.
     */
    public static void forgetEnded(long pid, long endedMillis) {
        Path file = directory().resolve(Long.toString(pid));
        if (!Files.exists(file)) {
            return; // the child removed its own, as it does when it exits by itself
        }
        Entry entry = read(pid, file);
        if (entry != null && entry.parentPid() == ProcessHandle.current().pid() && entry.registeredMillis() <= endedMillis) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // gone already; readers skip a dead pid's file anyway
            }
        }
    }

    /** The live processes of the table; files of processes that died are removed as they are seen. */
    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        Path dir = directory();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        Dead.SWEEPER.sweep(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                Entry entry = isPid(name) ? read(Long.parseLong(name), file) : null;
                if (entry != null && alive(entry)) {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            // an unreadable directory: nothing to show
        }
        return entries;
    }

    /**
     * The files of processes that died without removing theirs ({@code kill -9}). In a holder: this
     * class is initialized by every child's start, and only {@code mp4j ps} sweeps.
     */
    private static final class Dead {
        static final Sweeper SWEEPER = new Sweeper(ProcessTable::isPid, (file, name) -> {
            Entry entry = read(Long.parseLong(name), file);
            return entry != null && !alive(entry);
        }, Sweeper.FILE);
    }

    private static boolean isPid(String fileName) {
        return !fileName.isEmpty() && fileName.length() < 19 && fileName.chars().allMatch(Character::isDigit);
    }

    private static Entry read(long pid, Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return new Entry(pid, p.getProperty("role", "?"), p.getProperty("name", "?"),
                    Long.parseLong(p.getProperty("parent", "-1")), p.getProperty("command", ""),
                    Long.parseLong(p.getProperty("registered", "0")));
        } catch (IOException | RuntimeException e) {
            return null; // removed meanwhile, or not one of ours
        }
    }

    /** Alive, and the same process that wrote the file (a reused pid started after it). */
    private static boolean alive(Entry entry) {
        return ProcessIds.runningSince(entry.pid(), entry.registeredMillis());
    }

    static Path directory() {
        return directoryFile().toPath();
    }

    private static File directoryFile() {
        String configured = System.getProperty("mp4j.psDir");
        if (configured != null) {
            return new File(configured);
        }
        File shm = new File("/dev/shm");
        File base = shm.isDirectory() ? shm : new File(System.getProperty("java.io.tmpdir"));
        return new File(base, "mp4j-ps-" + System.getProperty("user.name", "user"));
    }
}
