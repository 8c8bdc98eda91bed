package org.multiprocessing4j.internal.launch;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.ProcessInfo;

/**
 * What this JVM knows of itself as a multiprocessing4j process: its {@link ProcessInfo}, its parent's,
 * its place in the process tree ({@code identity}: {@code ""} in the main process, {@code "2"} for its
 * second child, {@code "2:1"} for that child's first child, as Python's {@code _identity}) and its
 * authkey.
 *
 * <p>The authkey is bytes, never a {@code String}: a child reads it from its stdin ({@link KeyHandoff}),
 * not from the environment, so the processes a target starts do not inherit it, and a JVM started
 * with some variable set does not adopt it. The main process's key is made on first use, so that a
 * child, which adopts its parent's, never pays for a {@code SecureRandom}.
 *
 * <p><b>Concurrency.</b> The main process's state is made on first use (its info and its key, each
 * under the class's lock); a child's is set once by {@link Bootstrap}, before the target runs and before
 * any other thread of the user's exists.
 */
public final class CurrentProcess {
    /**
     * The environment variable that carried the authkey to children in earlier versions: removed from
     * every child's environment, so that no JVM we start sees a key there.
     */
    static final String LEGACY_AUTHKEY_ENV = "MP4J_AUTHKEY";

    private static final AtomicInteger CHILD_COUNTER = new AtomicInteger();
    private static volatile ProcessInfo self; // null until first asked for in the main process; set by becomeChild
    private static volatile ProcessInfo parent;
    private static volatile String identity = "";
    private static byte[] authkey; // guarded by CurrentProcess.class; set once
    private static volatile Object running; // the ChildProcess this JVM runs, in a child

    private CurrentProcess() {}

    public static ProcessInfo info() {
        ProcessInfo info = self;
        return info != null ? info : mainInfo();
    }

    public static Optional<ProcessInfo> parent() {
        return Optional.ofNullable(parent);
    }

    public static boolean isDaemon() {
        return info().daemon();
    }

    /**
     * The authkey of this process: random in the main process, its parent's in a child. A copy, which
     * the caller may wipe when done with it.
     */
    public static synchronized byte[] authkey() {
        if (authkey == null) {
            authkey = org.multiprocessing4j.internal.wire.Hmac.newKey();
        }
        return authkey.clone();
    }

    /** In a child, before anything uses the key: adopts the parent's (a copy; the caller wipes its own). */
    static synchronized void adoptAuthkey(byte[] key) {
        if (authkey != null) {
            throw new IllegalStateException("this process's authkey is set already");
        }
        authkey = key.clone();
    }

    /** Takes out of a child's environment what must not reach it (a key set by an older version). */
    public static void scrub(Map<String, String> environment) {
        environment.remove(LEGACY_AUTHKEY_ENV);
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
    static synchronized void becomeChild(LaunchRequest request, Object process) {
        ProcessHandle me = ProcessHandle.current();
        self = new ProcessInfo(request.name(), me.pid(), request.parent().pid(), request.daemon());
        parent = request.parent();
        identity = request.identity();
        running = process;
    }

    /**
     * The main process's info, made on first use: a child, whose {@link #becomeChild} sets its own, never
     * pays for it (looking up the parent process reads {@code /proc} twice, 2–8 ms of a child's start-up
     * when it ran in this class's initializer).
     */
    private static synchronized ProcessInfo mainInfo() {
        ProcessInfo info = self;
        if (info == null) {
            ProcessHandle me = ProcessHandle.current();
            Optional<ProcessHandle> parent = me.parent();
            long ppid = parent.isPresent() ? parent.get().pid() : -1L;
            info = new ProcessInfo("MainProcess", me.pid(), ppid, false);
            self = info;
        }
        return info;
    }
}
