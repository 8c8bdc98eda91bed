package org.multiprocessing4j.internal.shm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
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
 * <p>Calls go through {@code syscall(SYS_futex, …)} from the C library, with {@code errno} captured.
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
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SYSCALL = syscall();
    private static final MethodHandle SYSCALL_WAITV = syscallWaitv();
    private static volatile boolean waitvMissing;

    /** What a wait ended with ({@code UNSUPPORTED}: the kernel has no {@code futex_waitv}). */
    public enum Wake { WOKEN, VALUE_CHANGED, TIMED_OUT, INTERRUPTED, UNSUPPORTED }

    private Futex() {}

    /**
     * Blocks while the int at {@code word} equals {@code expected}, at most {@code timeoutNanos}
     * ({@code < 0}: no limit). May return spuriously; callers loop on their condition.
     */
    public static Wake await(MemorySegment word, int expected, long timeoutNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment timeout = MemorySegment.NULL;
            if (timeoutNanos >= 0) {
                timeout = arena.allocate(16, 8);
                timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
                timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            }
            long result = (long) SYSCALL.invokeExact(state, SYS_FUTEX, word, FUTEX_WAIT, expected, timeout,
                    MemorySegment.NULL, 0);
            if (result == 0) {
                return Wake.WOKEN;
            }
            int errno = (int) ERRNO.get(state, 0L);
            return switch (errno) {
                case EAGAIN -> Wake.VALUE_CHANGED;
                case ETIMEDOUT -> Wake.TIMED_OUT;
                case EINTR -> Wake.INTERRUPTED;
                default -> throw new IllegalStateException("futex wait failed: errno " + errno);
            };
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
    }

    /** Wakes at most {@code count} processes blocked on {@code word}; returns how many were woken. */
    public static int wake(MemorySegment word, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long result = (long) SYSCALL.invokeExact(state, SYS_FUTEX, word, FUTEX_WAKE, count, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
            if (result < 0) {
                throw new IllegalStateException("futex wake failed: errno " + (int) ERRNO.get(state, 0L));
            }
            return (int) result;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
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
        if (waitvMissing || SYSCALL_WAITV == null) {
            return Wake.UNSUPPORTED;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
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
                timeout = arena.allocate(16, 8);
                timeout.set(JAVA_LONG, 0, deadline / 1_000_000_000L);
                timeout.set(JAVA_LONG, 8, deadline % 1_000_000_000L);
            }
            long result = (long) SYSCALL_WAITV.invokeExact(state, SYS_FUTEX_WAITV, waiters, words.length, 0, timeout,
                    CLOCK_MONOTONIC);
            if (result >= 0) {
                return Wake.WOKEN;
            }
            int errno = (int) ERRNO.get(state, 0L);
            return switch (errno) {
                case EAGAIN -> Wake.VALUE_CHANGED;
                case ETIMEDOUT -> Wake.TIMED_OUT;
                case EINTR -> Wake.INTERRUPTED;
                case ENOSYS -> {
                    waitvMissing = true;
                    yield Wake.UNSUPPORTED;
                }
                default -> throw new IllegalStateException("futex_waitv failed: errno " + errno);
            };
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("futex_waitv failed", t);
        }
    }

    private static MethodHandle syscallWaitv() {
        if (SYS_FUTEX_WAITV < 0) {
            return null;
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment address = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new IllegalStateException("no syscall() in the C library"));
        FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_INT);
        return linker.downcallHandle(address, descriptor, Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle syscall() {
        if (SYS_FUTEX < 0) {
            return null;
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment address = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new IllegalStateException("no syscall() in the C library"));
        FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT);
        return linker.downcallHandle(address, descriptor, Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }
}
