package org.multiprocessing4j.internal.launch;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.ProcessInfo;

/**
 * What this JVM knows of itself as a multiprocessing4j process: its {@link ProcessInfo}, its parent's,
 * its place in the process tree ({@code identity}: {@code ""} in the main process, {@code "2"} for its
 * second child, {@code "2:1"} for that child's first child, as Python's {@code _identity}) and its
 * authkey.
 *
 * <p><b>Concurrency.</b> The main process's state is fixed at class initialisation; a child's is set
 * once by {@link Bootstrap}, before the target runs and before any other thread of the user's exists.
 */
public final class CurrentProcess {
    /** The environment variable that carries the authkey to a child (hex). */
    static final String AUTHKEY_ENV = "MP4J_AUTHKEY";

    private static final AtomicInteger CHILD_COUNTER = new AtomicInteger();
    private static volatile ProcessInfo self = mainInfo();
    private static volatile ProcessInfo parent;
    private static volatile String identity = "";
    private static volatile byte[] authkey = initialAuthkey();
    private static volatile Object running; // the ChildProcess this JVM runs, in a child

    private CurrentProcess() {}

    public static ProcessInfo info() {
        return self;
    }

    public static Optional<ProcessInfo> parent() {
        return Optional.ofNullable(parent);
    }

    public static boolean isDaemon() {
        return self.daemon();
    }

    /** The authkey of this process: random in the main process, inherited by every child. */
    public static byte[] authkey() {
        return authkey.clone();
    }

    /** The identity for the next child this process makes: {@code "3"} here, {@code "2:3"} in child 2. */
    public static String nextChildIdentity() {
        int n = CHILD_COUNTER.incrementAndGet();
        return identity.isEmpty() ? Integer.toString(n) : identity + ":" + n;
    }

    /** Whether {@code process} is the process object this JVM was started to run. */
    public static boolean isRunning(Object process) {
        return process == running;
    }

    /** Called once by {@link Bootstrap} in a child, with what its parent sent. */
    static void becomeChild(LaunchRequest request, Object process) {
        ProcessHandle me = ProcessHandle.current();
        self = new ProcessInfo(request.name(), me.pid(), request.parent().pid(), request.daemon());
        parent = request.parent();
        identity = request.identity();
        running = process;
    }

    private static ProcessInfo mainInfo() {
        ProcessHandle me = ProcessHandle.current();
        Optional<ProcessHandle> parent = me.parent();
        long ppid = parent.isPresent() ? parent.get().pid() : -1L;
        return new ProcessInfo("MainProcess", me.pid(), ppid, false);
    }

    private static byte[] initialAuthkey() {
        String inherited = System.getenv(AUTHKEY_ENV);
        if (inherited != null && !inherited.isEmpty()) {
            return HexFormat.of().parseHex(inherited);
        }
        return org.multiprocessing4j.internal.wire.Hmac.newKey();
    }
}
