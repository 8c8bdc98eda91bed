package org.multiprocessing4j.internal.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Removes what processes left behind in a directory when they died before they could clean up: the
 * one sweep of the library. Each kind of leftover is a sweeper that says which names it looks at,
 * how it judges one left over ({@link #ownerGone}: the pid in its name no longer runs;
 * {@link #olderThan}: not touched for a while; or a judgement of its own, as a segment's attach
 * table), and how to remove it ({@link #FILE}, {@link #TREE}). Used for segments and a gone queue's
 * messages ({@code shm.Segments}), the manager's shared channels, the pools' and managers' directories
 * ({@link PrivateDirs}) and the AOT cache's training files.
 *
 * <p><b>Failure.</b> A sweep is housekeeping: an entry that cannot be read, judged or removed (another
 * user's, gone meanwhile) is left alone, and a directory that cannot be listed is an empty sweep. A
 * sweep never throws.
 *
 * <p><b>Concurrency.</b> Immutable; sweeps of one directory may run at once in several threads and
 * processes (removing what is gone already is no error).
 */
public final class Sweeper {
    /** Whether one entry is left over, to be removed. */
    @FunctionalInterface
    public interface Judge {
        boolean leftOver(Path entry, String name) throws IOException;
    }

    /** How to remove one entry. */
    @FunctionalInterface
    public interface Removal {
        void remove(Path entry) throws IOException;
    }

    /** A file (or an empty directory). */
    public static final Removal FILE = Files::deleteIfExists;

    /** A directory and everything in it. */
    public static final Removal TREE = Sweeper::deleteTree;

    private final Predicate<String> names;
    private final Judge judge;
    private final Removal removal;

    /** Looks at the entries whose names {@code names} accepts, removes with {@code removal} those {@code judge} finds left over. */
    public Sweeper(Predicate<String> names, Judge judge, Removal removal) {
        this.names = names;
        this.judge = judge;
        this.removal = removal;
    }

    /**
     * Left over when the process whose pid {@code ownerPid} reads from the entry's name no longer runs
     * ({@link ProcessIds#running}); a name it cannot read a pid from ({@code ownerPid} returns a
     * value ≤ 0 or throws) is not ours, and kept.
     */
    public static Judge ownerGone(ToLongFunction<String> ownerPid) {
        return (entry, name) -> {
            long pid;
            try {
                pid = ownerPid.applyAsLong(name);
            } catch (RuntimeException e) {
                return false; // not one of ours
            }
            return pid > 0 && !ProcessIds.running(pid);
        };
    }

    /** Left over when not modified for {@code age}: what a process that was killed mid-way leaves. */
    public static Judge olderThan(Duration age) {
        return (entry, name) -> Files.getLastModifiedTime(entry).toInstant().isBefore(Instant.now().minus(age));
    }

    /** Also requires {@code other}. */
    public static Judge both(Judge first, Judge other) {
        return (entry, name) -> first.leftOver(entry, name) && other.leftOver(entry, name);
    }

    /** Removes the leftovers in {@code directory}; returns the names of those removed. */
    public List<String> sweep(Path directory) {
        List<String> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (names.test(name) && removeIfLeftOver(entry, name)) {
                    removed.add(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no directory, or it went away mid-listing: nothing (more) to sweep
        }
        return removed;
    }

    private boolean removeIfLeftOver(Path entry, String name) {
        try {
            if (!judge.leftOver(entry, name)) {
                return false;
            }
            removal.remove(entry);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // another user's, or gone already
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
