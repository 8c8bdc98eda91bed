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
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SYSCALL = syscall();

    /** What a wait ended with. */
    public enum Wake { WOKEN, VALUE_CHANGED, TIMED_OUT, INTERRUPTED }

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
