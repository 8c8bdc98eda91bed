package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.proc.Sweeper;

/**
 * JDK 25's AOT cache for child JVMs (JEP 483/514): classes loaded and linked ahead of time, so a child
 * reaches its target sooner.
 *
 * <p><b>Lifecycle of one cache file.</b> Each distinct child command line (JDK, class path and module
 * path with every entry's size and time, inherited flags, the user's JVM options) has a key. The first
 * launch that finds no file for its key starts, in the background, one training JVM that runs a
 * representative child with {@code -XX:AOTCacheOutput}; the JDK writes the cache when it exits, and it
 * is moved into place atomically. Later launches add {@code -XX:AOTCache}. A key whose training failed
 * is marked, and not tried again until its inputs change or the mark is evicted (two weeks). Another
 * process training the same key holds {@code KEY.lock}; locks and temporary files older than
 * {@link #STALE_LOCK} are removed. The directory is bounded ({@link Eviction}): a launch that uses a
 * cache marks it used, and when a training starts, caches unused for two weeks, and the least recently
 * used beyond 16, are removed (files named by keys only: the directory may be shared).
 *
 * <p><b>Silent when it cannot help.</b> The JDK can only archive classes from JAR files. A class path
 * with directories (an IDE, {@code mvn exec:java}) is trained on the library's JAR alone, which
 * children then get first on their class path ({@link JvmCommand.ClassPath}); where the library itself
 * is a directory ({@code target/classes}) there is no cache. The cache's own logging is off
 * in children: a cache that does not match is skipped without a word.
 *
 * <p>Directory: {@code $XDG_CACHE_HOME/multiprocessing4j/aot} or {@code ~/.cache/multiprocessing4j/aot},
 * or the system property {@code mp4j.aotDir}. {@code -Dmp4j.aot=false} turns it off.
 */
final class AotCache {
    static final List<String> QUIET = List.of("-Xlog:aot=off", "-Xlog:cds=off");
    private static final Duration STALE_LOCK = Duration.ofMinutes(5);
    /** Caches (and failure marks) not used for this long are removed when a training starts. */
    static final Duration UNUSED = Duration.ofDays(14);
    /** The most caches kept: the least recently used beyond it go when a training starts (2 per program, by kind). */
    static final int MAX_CACHES = 16;
    /** A cache used this recently is kept even beyond {@link #MAX_CACHES}: a running program may be using it. */
    static final Duration IN_USE = Duration.ofHours(1);
    /** A key's length: the first 32 hex digits of the command line's SHA-256. */
    private static final int KEY_LENGTH = 32;

    private final Path dir;
    private final Map<String, Boolean> trainingStarted = new ConcurrentHashMap<>();
    /**
     * When this JVM last marked each cache used (its time set to now); it marks it again once half of
     * {@link #IN_USE} has passed.
     */
    private final Map<Path, Long> marked = new ConcurrentHashMap<>();
    private final Map<Command, Optional<String>> keys = new ConcurrentHashMap<>();

    private record Command(List<String> options, Kind kind) {}

    /**
     * Which cache a child gets. Every class of an AOT cache is loaded at a JVM's start-up, whether the
     * JVM uses it or not, so a plain child does better with a cache trained on a plain child's path
     * alone than with one that also holds a pool worker's, a queue's and a pipe's classes (and the FFM
     * runtime and the class-file API they bring): {@code docs/launch.md}, "a cache per kind of child".
     */
    enum Kind {
        /**
         * A child whose target captures only raw values (and the first warm spares): trained on the
         * launch path (both forms) and common lambda shapes.
         */
        PLAIN,
        /**
         * A pool worker, a child whose target holds objects such as a queue or a shared value (and a warm
         * spare booted after such a start took one): also a pool worker's, a queue's, a pipe's and a
         * manager's traffic.
         */
        FULL;

        /** Its name as the training run's property gives it ({@code Training.KIND_PROPERTY}). */
        String property() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    AotCache(Path dir) {
        this.dir = dir;
    }

    static Optional<AotCache> configured() {
        if (!Boolean.parseBoolean(System.getProperty("mp4j.aot", "true"))) {
            return Optional.empty();
        }
        String explicit = System.getProperty("mp4j.aotDir");
        if (explicit != null) {
            return Optional.of(new AotCache(Path.of(explicit)));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return Optional.of(new AotCache(base.resolve("multiprocessing4j").resolve("aot")));
    }

    Path dir() {
        return dir;
    }

    /**
     * The flags a child of {@code kind} launched with {@code options} should get: {@code -XX:AOTCache}
     * if a cache is ready, else none (and a training run is started for next time, once per key and
     * process).
     */
    List<String> flagsFor(List<String> options, Kind kind, Trainer trainer) {
        // The class path of a running JVM does not change; if a JAR on it is rebuilt, the JDK sees
        // that the cache no longer matches and skips it.
        Optional<String> key = keys.computeIfAbsent(new Command(List.copyOf(options), kind), c -> key(c.options(), c.kind()));
        if (key.isEmpty()) {
            return List.of();
        }
        Path cache = dir.resolve(key.get() + ".aot");
        if (Files.isRegularFile(cache)) {
            return use(cache);
        }
        if (trainingStarted.putIfAbsent(key.get(), Boolean.TRUE) == null) {
            Thread.ofPlatform().daemon().name("mp4j-aot-training").start(() -> train(key.get(), options, kind, trainer));
        }
        return List.of();
    }

    /** The key of a child command line and kind, or empty if the JDK could not archive its class path. */
    Optional<String> key(List<String> options, Kind kind) {
        StringBuilder material = new StringBuilder();
        material.append(kind).append('\n');
        material.append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(JvmCommand.inherited()).append('\n')
                .append(JvmCommand.librarySettings()).append('\n')
                .append(options).append('\n');
        List<String> entries = JvmCommand.pathEntries();
        if (entries.isEmpty()) {
            return Optional.empty(); // nothing the JDK can archive
        }
        for (String entry : entries) {
            Path path = Path.of(entry);
            if (!Files.isRegularFile(path)) {
                return Optional.empty(); // a directory, or a missing entry: nothing the JDK can archive
            }
            try {
                material.append(path.toAbsolutePath()).append(' ')
                        .append(Files.size(path)).append(' ')
                        .append(Files.getLastModifiedTime(path).toMillis()).append('\n');
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(sha256(material.toString()).substring(0, KEY_LENGTH));
    }

    /**
     * Starts the training JVM under {@code /bin/sh}, which moves the cache into place when the JVM has
     * written it, so the cache is completed even when this JVM has exited first (a short program).
     */
    private void train(String key, List<String> options, Kind kind, Trainer trainer) {
        Path lock = dir.resolve(key + ".lock");
        Path tmp = dir.resolve(key + ".aot." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(dir);
            Stale.SWEEPER.sweep(dir);
            Eviction.evict(dir, System.currentTimeMillis());
            if (Files.exists(dir.resolve(key + ".failed")) || !takeLock(lock)) {
                return;
            }
            List<String> flags = new ArrayList<>(QUIET);
            flags.add("-XX:AOTCacheOutput=" + tmp);
            List<String> shell = List.of("/bin/sh", "-c",
                    "\"$@\" && mv -f \"$MP4J_AOT_TMP\" \"$MP4J_AOT_FINAL\" || echo failed > \"$MP4J_AOT_FAILED\";"
                            + " rm -f \"$MP4J_AOT_TMP\" \"$MP4J_AOT_LOCK\"", "mp4j-aot-training");
            Map<String, String> env = Map.of(
                    "MP4J_AOT_TMP", tmp.toString(),
                    "MP4J_AOT_FINAL", dir.resolve(key + ".aot").toString(),
                    "MP4J_AOT_FAILED", dir.resolve(key + ".failed").toString(),
                    "MP4J_AOT_LOCK", lock.toString());
            trainer.start(shell, flags, options, kind, env);
        } catch (IOException | RuntimeException e) {
            // The cache is an accelerator: without it children start, only slower.
        }
    }

    /**
     * Temporary files and locks left by a training run that was killed. In a holder, not a field of
     * this class: its lambdas would be linked at every parent's first launch (this class's
     * initialization), which showed in the quick bench's first-use rows; it is built when a training
     * starts.
     */
    private static final class Stale {
        static final Sweeper SWEEPER = new Sweeper(name -> name.endsWith(".tmp") || name.endsWith(".lock"),
                Sweeper.olderThan(STALE_LOCK), Sweeper.FILE);
    }

    /**
     * The flags of a child launched with {@code cache}, which is marked used: at its first launch here,
     * then again once half of {@link #IN_USE} has passed, so that a long-running program's cache always
     * counts as in use.
     */
    List<String> use(Path cache) {
        long now = System.currentTimeMillis();
        Long last = marked.get(cache);
        if (last == null || now - last > IN_USE.toMillis() / 2) {
            marked.put(cache, now);
            markUsed(cache, now);
        }
        List<String> flags = new ArrayList<>(QUIET);
        flags.add("-XX:AOTCache=" + cache);
        return flags;
    }

    /**
     * Sets a cache's time to now: its last use, by which {@link Eviction} keeps the caches in use ({@link
     * #use} says when); a cache that cannot be touched (another user's directory) is used all the same.
     */
    private static void markUsed(Path cache, long now) {
        // java.io rather than Files.setLastModifiedTime: no file-attribute classes on a parent's first
        // launch. False where the directory is read-only: the cache is used, only not marked.
        cache.toFile().setLastModified(now);
    }

    /**
     * Bounds the directory, which grows by two caches (15–20 MB each) for every new class path: a program
     * rebuilt in a loop made 447 of them, 8.5 GB, in a day of this project's development. Run when a
     * training starts (the only time it grows): caches and failure marks unused for {@link #UNUSED}
     * go, then the least recently used caches beyond {@link #MAX_CACHES}, except those used within
     * {@link #IN_USE}. A JVM that has a cache mapped keeps it (the file's pages stay until it ends); a
     * launch that was given a removed cache's path starts without it, as with a cache that does not match.
     */
    static final class Eviction {
        private Eviction() {}

        /** Removes what is unused in {@code dir}, judged at {@code nowMillis}; returns the names removed. */
        static List<String> evict(Path dir, long nowMillis) {
            List<String> removed = new ArrayList<>();
            List<Used> caches = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    boolean cache = isOurs(name, ".aot");
                    if (!cache && !isOurs(name, ".failed")) {
                        continue; // not a file this class names: the directory may be shared (-Dmp4j.aotDir)
                    }
                    long millis = Files.getLastModifiedTime(entry).toMillis();
                    if (nowMillis - millis > UNUSED.toMillis()) {
                        remove(entry, removed);
                    } else if (cache) {
                        caches.add(new Used(entry, millis));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return removed; // gone, or not ours to list: nothing to bound
            }
            caches.sort((a, b) -> Long.compare(b.millis(), a.millis())); // the most recently used first
            for (Used cache : caches.subList(Math.min(MAX_CACHES, caches.size()), caches.size())) {
                if (nowMillis - cache.millis() > IN_USE.toMillis()) {
                    remove(cache.path(), removed);
                }
            }
            return removed;
        }

        private record Used(Path path, long millis) {}

        /** Whether {@code name} is a key ({@link #key}: 32 hex digits) and {@code suffix}. */
        static boolean isOurs(String name, String suffix) {
            if (name.length() != KEY_LENGTH + suffix.length() || !name.endsWith(suffix)) {
                return false;
            }
            for (int i = 0; i < KEY_LENGTH; i++) {
                if (Character.digit(name.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        private static void remove(Path entry, List<String> removed) {
            try {
                if (Files.deleteIfExists(entry)) {
                    removed.add(entry.getFileName().toString());
                }
            } catch (IOException | RuntimeException e) {
                // another user's, or gone already
            }
        }
    }

    private static boolean takeLock(Path lock) throws IOException {
        try {
            Files.createFile(lock);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another process is training this key
        }
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Starts a training child for a cache of {@code kind}: {@code wrapper} (a shell command that runs its
     * arguments) before the JVM's command line, the given AOT flags and user options, and {@code env}
     * added to its environment. The child must end by itself.
     */
    @FunctionalInterface
    interface Trainer {
        void start(List<String> wrapper, List<String> aotFlags, List<String> options, Kind kind,
                Map<String, String> env) throws IOException;
    }
}
