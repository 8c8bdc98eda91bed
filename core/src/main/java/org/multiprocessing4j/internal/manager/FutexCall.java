package org.multiprocessing4j.internal.manager;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code futex(2)} for {@link SharedChannel}, bound apart from {@link org.multiprocessing4j.internal.shm.Futex}
 * for the one path that runs on every round trip: no {@code errno} capture (a waiter re-checks its
 * word after any return, so why it returned does not matter) and no arena per call (the caller owns
 * its timespec). That is less work per call and far less code for the JIT to compile.
 */
final class FutexCall {
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final MethodHandle SYSCALL = syscall();

    private FutexCall() {}

    static boolean available() {
        return SYSCALL != null;
    }

    /** Sleeps while the int at {@code word} is {@code expected}, at most {@code timespec}; may return early. */
    static void waitOn(MemorySegment word, int expected, MemorySegment timespec) {
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, timespec,
                    MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed: " + t, t);
        }
    }

    /** Wakes one thread sleeping on {@code word}, in any process. */
    static void wakeOne(MemorySegment word) {
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, 1, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed: " + t, t);
        }
    }

    private static MethodHandle syscall() {
        if (SYS_FUTEX < 0) {
            return null;
        }
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("syscall").map(address -> linker.downcallHandle(address,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(1))).orElse(null);
    }
}
