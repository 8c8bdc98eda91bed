package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux {@code futex(2)} system call, through the FFM {@link Linker}: block while a 32-bit word in
 * shared memory holds an expected value, and wake the processes blocked on it. Shared futexes (no
 * {@code FUTEX_PRIVATE_FLAG}), so that waiters in different processes meet on the same word of a
 * mapped file.
 *
 * <p>Calls go through {@code syscall(SYS_futex, …)} from the C library. This class is the project's one
 * binding of it: one table of system call numbers, one lookup. {@link #await} and {@link #awaitAny}
 * capture {@code errno} to tell why a wait ended. {@link #waitOn} and {@link #wakeOne} are the lean
 * form for a path that runs on every round trip (the manager's shared-memory channel): no
 * {@code errno} capture (a waiter re-checks its word after any return, so why it returned does not
 * matter) and no arena per call (the caller owns its timespec), which is less work per call and far
 * less code for the JIT to compile. {@link #wake} uses the lean form too, and asks for {@code errno}
 * only once a wake has failed; {@link #sleep}, the timed wait of the library's loops, tells a slice that
 * ran out by the clock. Each call is linked at its first use, the lean one usually in the background from
 * the first segment on ({@link FutexWarmUp}).
 *
 * <p><b>Virtual threads.</b> Every wait ({@link #await}, {@link #waitOn}, {@link #awaitAny}) called on a
 * virtual thread parks it instead ({@link FutexWaiter}: one platform thread per process sleeps in
 * {@code futex_waitv} for all of them), so that a waiting virtual thread never holds its carrier in a
 * native call; platform threads keep the direct call. Each {@link #wake} tells that waiter how many it
 * woke.
 */
public final class Futex {
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };
    /** {@code futex_waitv(2)} (Linux 5.16): the same number on x86-64 and arm64 (the generic table). */
    private static final long SYS_FUTEX_WAITV = SYS_FUTEX < 0 ? -1 : 449;
    private static final int FUTEX2_SIZE_U32 = 2;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int ENOSYS = 38;
    /** {@code struct futex_waitv}: u64 val, u64 uaddr, u32 flags, u32 reserved. */
    private static final long WAITV_SIZE = 24;
    /** The most words one {@code futex_waitv} takes ({@code FUTEX_WAITV_MAX}). */
    public static final int MAX_WAITV = 128;
    /** The size of a {@code struct timespec} (two longs on 64-bit Linux). */
    public static final long TIMESPEC_BYTES = 16;
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static volatile boolean waitvMissing;

    /** What a wait ended with ({@code UNSUPPORTED}: the kernel has no {@code futex_waitv}). */
    public enum Wake { WOKEN, VALUE_CHANGED, TIMED_OUT, INTERRUPTED, UNSUPPORTED }

    private Futex() {}

    /**
     * {@code syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3)} without {@code errno} capture: the
     * lean form. Each downcall handle is a class spun at run time (the AOT cache holds the linker's
     * classes, not the handles): the first costs a fresh JVM 25–40 ms with the cache, 85–100 ms without,
     * each further one 6–12 ms more. So each call is linked in a holder of its own, at its first use; this
     * one usually in the background from the first segment on ({@link FutexWarmUp}), and a virtual thread
     * waits for that, parked, through {@link #lean()}: never pinned in the class's initialization.
     */
    private static final class Lean {
        static final MethodHandle SYSCALL = downcall(SYS_FUTEX, false, ADDRESS, ADDRESS, JAVA_INT);
    }

    /** The lean call, for any thread: a virtual thread first waits, parked, for its linking. */
    private static MethodHandle lean() {
        if (Thread.currentThread().isVirtual()) {
            FutexWarmUp.awaitLinked();
        }
        return Lean.SYSCALL;
    }

    /** Where a capturing call leaves {@code errno}. */
    private static final class Errno {
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    /** The futex call that captures {@code errno}: {@link #await} and a failed wake's report. */
    private static final class Capturing {
        /** {@code syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3)}, {@code errno} captured first. */
        static final MethodHandle SYSCALL = downcall(SYS_FUTEX, true, ADDRESS, ADDRESS, JAVA_INT);
    }

    /** {@code futex_waitv}: waits on several words ({@link #awaitAny}, {@link FutexWaiter}). */
    private static final class Waitv {
        /** {@code syscall(SYS_futex_waitv, waiters, nr, flags, timeout, clockid)}, {@code errno} captured first. */
        static final MethodHandle SYSCALL_WAITV = downcall(SYS_FUTEX_WAITV, true, ADDRESS, JAVA_INT);
    }

    /**
     * Blocks while the int at {@code word} equals {@code expected}, at most {@code timeoutNanos}
     * ({@code < 0}: no limit). May return spuriously; callers loop on their condition.
     */
    public static Wake await(MemorySegment word, int expected, long timeoutNanos) {
        if (Thread.currentThread().isVirtual()) {
            return FutexWaiter.await(new MemorySegment[] {word}, new int[] {expected}, timeoutNanos);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Errno.CAPTURE);
            MemorySegment timeout = MemorySegment.NULL;
            if (timeoutNanos >= 0) {
                timeout = timespec(arena.allocate(TIMESPEC_BYTES, 8), timeoutNanos);
            }
            long result = (long) Capturing.SYSCALL.invokeExact(state, SYS_FUTEX, word, FUTEX_WAIT, expected, timeout,
                    MemorySegment.NULL, 0);
            if (result == 0) {
                return Wake.WOKEN;
            }
            return ended((int) Errno.ERRNO.get(state, 0L), "futex wait");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
    }

    /** How a wait that returned -1 with {@code errno} ended; throws for an {@code errno} no wait ends with. */
    private static Wake ended(int errno, String call) {
        return switch (errno) {
            case EAGAIN -> Wake.VALUE_CHANGED;
            case ETIMEDOUT -> Wake.TIMED_OUT;
            case EINTR -> Wake.INTERRUPTED;
            default -> throw new IllegalStateException(call + " failed: errno " + errno);
        };
    }

    /**
     * Blocks while the int at {@code word} equals {@code expected}, at most {@code timeoutNanos}
     * ({@code < 0}: no limit), through the lean call; returns whether the time ran out, judged by the
     * clock (a wait that ended for any other reason, or spuriously, says false, as does one that did not
     * sleep because the word had moved). The wait of the library's own loops, which re-check their
     * condition after every return and need to know only whether a slice ran out: unlike {@link #await},
     * it links no {@code errno}-capturing call.
     */
    public static boolean sleep(MemorySegment word, int expected, long timeoutNanos) {
        if (Thread.currentThread().isVirtual()) {
            return FutexWaiter.await(new MemorySegment[] {word}, new int[] {expected}, timeoutNanos) == Wake.TIMED_OUT;
        }
        if (timeoutNanos < 0) {
            waitOn(word, expected, MemorySegment.NULL);
            return false;
        }
        if (timeoutNanos == 0) {
            return word.get(JAVA_INT, 0) == expected; // no sleep: it "ran out" unless the word has moved
        }
        long start = System.nanoTime();
        long result;
        try (Arena arena = Arena.ofConfined()) {
            result = (long) Lean.SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected,
                    timespec(arena.allocate(TIMESPEC_BYTES, 8), timeoutNanos), MemorySegment.NULL, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
        return result != 0 && System.nanoTime() - start >= timeoutNanos;
    }

    /**
     * Writes {@code nanos} into the {@code struct timespec} {@code timespec} ({@link #TIMESPEC_BYTES},
     * aligned to 8) and returns it.
     */
    public static MemorySegment timespec(MemorySegment timespec, long nanos) {
        timespec.set(JAVA_LONG, 0, nanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, nanos % 1_000_000_000L);
        return timespec;
    }

    /** Wakes at most {@code count} processes blocked on {@code word}; returns how many were woken. */
    public static int wake(MemorySegment word, int count) {
        FutexWaiter.woke(word, count);
        long result;
        try {
            result = (long) lean().invokeExact(SYS_FUTEX, word, FUTEX_WAKE, count, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
        }
        if (result < 0) {
            throw new IllegalStateException("futex wake failed: errno " + wakeErrno(word, count));
        }
        return (int) result;
    }

    /**
     * Why a wake failed: the same wake again, with {@code errno} captured (a failed wake woke nobody,
     * and a wake that now succeeds is a spurious wake-up, which every waiter allows).
     */
    private static int wakeErrno(MemorySegment word, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Errno.CAPTURE);
            long ignored = (long) Capturing.SYSCALL.invokeExact(state, SYS_FUTEX, word, FUTEX_WAKE, count, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
            return (int) Errno.ERRNO.get(state, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
        }
    }

    /**
     * Initializes this class and the virtual threads' waiter (their classes, not the waiter thread): a
     * virtual thread that waits for a class's initialization by another thread pins its carrier.
     */
    public static void prepare() {
        MethodHandle linked = Lean.SYSCALL; // the linking itself (null where this platform has no futex)
        FutexWaiter.prepare();
    }

    /** Whether this platform has {@code futex} (Linux on x86-64 or arm64). */
    public static boolean available() {
        return lean() != null;
    }

    /**
     * The lean wait: sleeps while the int at {@code word} is {@code expected}, at most the
     * {@code struct timespec} {@code timespec} (the caller owns it and fills it with {@link #timespec}, or
     * {@link MemorySegment#NULL}: no limit). Says nothing of why it returned, and may return early:
     * callers re-check their word.
     */
    public static void waitOn(MemorySegment word, int expected, MemorySegment timespec) {
        if (Thread.currentThread().isVirtual()) {
            long nanos = timespec.equals(MemorySegment.NULL) ? -1
                    : timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
            FutexWaiter.await(new MemorySegment[] {word}, new int[] {expected}, nanos);
            return;
        }
        try {
            long ignored = (long) Lean.SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, timespec,
                    MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed: " + t, t);
        }
    }

    /** The lean wake: wakes one thread sleeping on {@code word}, in any process; errors are not reported. */
    public static void wakeOne(MemorySegment word) {
        FutexWaiter.woke(word, 1);
        try {
            long ignored = (long) lean().invokeExact(SYS_FUTEX, word, FUTEX_WAKE, 1, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed: " + t, t);
        }
    }

    /**
     * Blocks while every word {@code words[i]} holds {@code expected[i]}, at most {@code timeoutNanos}
     * ({@code < 0}: no limit): {@code futex_waitv}, one sleep for several futexes (at most
     * {@link #MAX_WAITV}), each woken by a plain {@link #wake}. May return spuriously; callers loop on
     * their condition. {@link Wake#UNSUPPORTED} if the kernel lacks the call (before Linux 5.16).
     */
    public static Wake awaitAny(MemorySegment[] words, int[] expected, long timeoutNanos) {
        if (words.length != expected.length || words.length == 0 || words.length > MAX_WAITV) {
            throw new IllegalArgumentException("1 to " + MAX_WAITV + " words, each with its expected value; was "
                    + words.length + " and " + expected.length);
        }
        if (Thread.currentThread().isVirtual()) {
            return FutexWaiter.await(words.clone(), expected.clone(), timeoutNanos);
        }
        if (waitvMissing()) {
            return Wake.UNSUPPORTED;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Errno.CAPTURE);
            MemorySegment waiters = arena.allocate(WAITV_SIZE * words.length, 8);
            for (int i = 0; i < words.length; i++) {
                long at = WAITV_SIZE * i;
                waiters.set(JAVA_LONG, at, expected[i] & 0xffffffffL);
                waiters.set(JAVA_LONG, at + 8, words[i].address());
                waiters.set(JAVA_INT, at + 16, FUTEX2_SIZE_U32);
                waiters.set(JAVA_INT, at + 20, 0);
            }
            MemorySegment timeout = MemorySegment.NULL;
            if (timeoutNanos >= 0) {
                long deadline = System.nanoTime() + timeoutNanos; // CLOCK_MONOTONIC, as the call's clock
                timeout = timespec(arena.allocate(TIMESPEC_BYTES, 8), deadline);
            }
            long result = (long) Waitv.SYSCALL_WAITV.invokeExact(state, SYS_FUTEX_WAITV, waiters, words.length, 0, timeout,
                    CLOCK_MONOTONIC);
            if (result >= 0) {
                return Wake.WOKEN;
            }
            int errno = (int) Errno.ERRNO.get(state, 0L);
            if (errno == ENOSYS) {
                waitvMissing = true;
                return Wake.UNSUPPORTED;
            }
            return ended(errno, "futex_waitv");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex_waitv failed", t);
        }
    }

    // ---- for FutexWaiter: one futex_waitv over a vector it owns, no arena per call

    /** A segment for the captured {@code errno} of {@link #waitv}. */
    static MemorySegment captureState(Arena arena) {
        return arena.allocate(Errno.CAPTURE);
    }

    /**
     * {@code futex_waitv} on the first {@code count} entries of {@code vector} ({@code struct futex_waitv},
     * 24 bytes each), until the absolute {@code CLOCK_MONOTONIC} {@code timespec} (or
     * {@link MemorySegment#NULL}): the index of the word woken, or -1 with {@code errno} in {@code state}.
     */
    static long waitv(MemorySegment state, MemorySegment vector, int count, MemorySegment timespec) {
        try {
            return (long) Waitv.SYSCALL_WAITV.invokeExact(state, SYS_FUTEX_WAITV, vector, count, 0, timespec,
                    CLOCK_MONOTONIC);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex_waitv failed", t);
        }
    }

    static int errno(MemorySegment state) {
        return (int) Errno.ERRNO.get(state, 0L);
    }

    /**
     * Whether {@code errno} is an ordinary end of a wait (a moved value, a timeout, a signal); notes
     * {@code ENOSYS} (no {@code futex_waitv}) for {@link #waitvMissing}.
     */
    static boolean waitEnded(int errno) {
        if (errno == ENOSYS) {
            waitvMissing = true;
            return true;
        }
        return errno == EAGAIN || errno == ETIMEDOUT || errno == EINTR;
    }

    /** Whether this kernel (or platform) has no {@code futex_waitv}. */
    static boolean waitvMissing() {
        return waitvMissing || SYS_FUTEX_WAITV < 0;
    }

    /**
     * {@code long syscall(long number, void *, int, int, rest...)} from the C library (variadic after the
     * number), {@code errno} captured into a leading segment if {@code captureErrno}; null where this
     * platform has no number for the call.
     */
    private static MethodHandle downcall(long number, boolean captureErrno, MemoryLayout... rest) {
        if (number < 0) {
            return null;
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment address = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new IllegalStateException("no syscall() in the C library"));
        MemoryLayout[] arguments = new MemoryLayout[4 + rest.length];
        arguments[0] = JAVA_LONG;
        arguments[1] = ADDRESS;
        arguments[2] = JAVA_INT;
        arguments[3] = JAVA_INT;
        System.arraycopy(rest, 0, arguments, 4, rest.length);
        FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_LONG, arguments);
        return captureErrno
                ? linker.downcallHandle(address, descriptor, Linker.Option.firstVariadicArg(1),
                        Linker.Option.captureCallState("errno"))
                : linker.downcallHandle(address, descriptor, Linker.Option.firstVariadicArg(1));
    }
}
