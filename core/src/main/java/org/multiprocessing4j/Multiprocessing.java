package org.multiprocessing4j;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import org.multiprocessing4j.spi.ClusterBackend;
import org.multiprocessing4j.spi.LocalBackend;
import org.multiprocessing4j.spi.ProcessStarter;

/** Python's module-level functions of {@code multiprocessing}. */
public final class Multiprocessing {
    private static final Map<StartMethod, Context> LOCAL = new EnumMap<>(StartMethod.class);

    private Multiprocessing() {}

    /**
     * The default context: child JVMs on this machine, each started fresh ({@link StartMethod#SPAWN}),
     * or as the system property {@code mp4j.startMethod} ({@code spawn}, {@code warm_spare}) says.
     */
    public static Context local() {
        return defaultLocal();
    }

    /** {@link #local()}, typed: where a {@code ChildProcess} made without a context runs. */
    /** The default local context, as the starter of processes made without a context. */
    static ProcessStarter defaultStarter() {
        return (ProcessStarter) defaultLocal(); // the local context starts its own processes
    }

    static Context defaultLocal() {
        String configured = System.getProperty("mp4j.startMethod", "spawn");
        return localContext(StartMethod.valueOf(configured.trim().toUpperCase(java.util.Locale.ROOT)));
    }

    /**
     * The local context with the given start method (Python's {@code get_context(method)}). One
     * context per method and JVM; the {@link StartMethod#WARM_SPARE} one boots its first spare JVM
     * when it is first asked for.
     */
    public static Context local(StartMethod method) {
        return localContext(method);
    }

    private static Context localContext(StartMethod method) {
        Objects.requireNonNull(method, "method");
        synchronized (LOCAL) {
            return LOCAL.computeIfAbsent(method, m -> LocalBackend.get().context(m, ChildProcess.PROCESSES));
        }
    }

    /**
     * A context on a cluster (Hazelcast): its processes and pool workers run on the cluster's members,
     * its queues, locks and shared values live in the cluster. Needs the module
     * {@code org.multiprocessing4j:multiprocessing4j-hazelcast} on the class path, found with
     * {@link ServiceLoader}. Close it ({@code AutoCloseable}) to leave the cluster.
     *
     * @throws IllegalStateException if no cluster backend is on the class path (the message names the module)
     */
    public static Context cluster(ClusterConfig config) {
        Objects.requireNonNull(config, "config");
        for (ClusterBackend backend : ServiceLoader.load(ClusterBackend.class, Multiprocessing.class.getClassLoader())) {
            return backend.connect(config);
        }
        for (ClusterBackend backend : ServiceLoader.load(ClusterBackend.class)) {
            return backend.connect(config);
        }
        throw new IllegalStateException("no cluster backend on the class path: add the module "
                + "org.multiprocessing4j:multiprocessing4j-hazelcast (artifact multiprocessing4j-hazelcast)");
    }

    /**
     * How many CPUs this process may use: its CPU affinity and its cgroup CPU quota both count
     * (Python 3.13's {@code os.process_cpu_count()}; {@code -Dmp4j.cpuCount=N} overrides).
     */
    public static int cpuCount() {
        return LocalBackend.get().cpuCount();
    }

    /** This process: {@code MainProcess} in the program's JVM, the {@link ChildProcess}'s name in a child. */
    public static ProcessInfo currentProcess() {
        return LocalBackend.get().currentProcess();
    }

    /** The process that started this one, or empty in the main process (Python's {@code parent_process()}). */
    public static Optional<ProcessInfo> parentProcess() {
        return LocalBackend.get().parentProcess();
    }

    /** The children this process started that are still running (Python's {@code active_children()}). */
    public static List<ChildProcess> activeChildren() {
        return LocalBackend.get().activeChildren();
    }

    /**
     * Turns on allow-list mode in this process: from now on the objects other processes send it
     * (messages, call arguments, tasks) may be built only of classes that {@code patterns} name (the
     * JDK's filter syntax: {@code com.example.Point}, {@code com.example.*} for a package,
     * {@code com.example.**} for a package and its subpackages), of this library's, and of the JDK's
     * value types (boxed primitives, strings, numbers, time, collections, exceptions, lambdas whose
     * capturing class is allowed). By default an authenticated peer is trusted as Python trusts a
     * pickle: any {@code Serializable} class but a list of known gadgets. The same from the command
     * line: {@code -Dmp4j.serialAllow=com.example.**,org.acme.*}. Each process decides for itself.
     *
     * @throws IllegalArgumentException if a pattern rejects ({@code !…}) or is empty
     */
    public static void allowDeserializationOnly(String... patterns) {
        LocalBackend.get().allowDeserializationOnly(List.of(patterns));
    }
}
