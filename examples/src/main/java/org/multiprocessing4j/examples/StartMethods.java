package org.multiprocessing4j.examples;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.StartMethod;

/**
 * Python's start methods, beyond the seeds: {@code get_context('spawn')} starts a fresh interpreter per
 * worker, {@code get_context('forkserver')} forks one that is already running. Here
 * {@link StartMethod#SPAWN} starts a fresh JVM per worker, and {@link StartMethod#WARM_SPARE} keeps JVMs
 * booted and waiting (two by default, {@code -Dmp4j.spares=N}): a {@code Pool(2)} on that context
 * starts on them, so its first result comes without any JVM boot in between. The spares are ordinary
 * child processes of this JVM: the warm pool's workers are among the children this JVM already had
 * before it asked for the pool; a fresh pool's are not. Timings are printed, not promised: they depend
 * on the machine.
 *
 * <p>The Python original (not in the seeds):
 * <pre>{@code
 * for method in ('spawn', 'forkserver'):
 *     ctx = multiprocessing.get_context(method)
 *     t0 = time.perf_counter()
 *     with ctx.Pool(2) as pool:
 *         pool.apply(os.getpid)
 *         print(method, time.perf_counter() - t0)
 * }</pre>
 */
public final class StartMethods {
    private static final int WORKERS = 2;
    /** A program creates its context early; the spares boot meanwhile (a few hundred ms). */
    private static final long SPARES_BOOT_MILLIS = 1_500;

    private StartMethods() {}

    public static void main(String[] args) {
        System.out.println("main: pid=" + Work.pid());
        Context spawn = Multiprocessing.local(StartMethod.SPAWN);
        try (ProcessPool untimed = spawn.pool(WORKERS)) {
            untimed.apply(Work::pid); // this JVM's own first pool: its classes load, its code warms up
        }
        timedPool("spawn", spawn);

        Context warm = Multiprocessing.local(StartMethod.WARM_SPARE); // its spares start booting now
        Work.sleep(SPARES_BOOT_MILLIS);
        timedPool("warm spare", warm);
    }

    /** Creates a Pool(2), times its first result, and tells whether its workers are older than the pool. */
    private static void timedPool(String method, Context ctx) {
        Set<Long> children = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        long t0 = System.nanoTime();
        try (ProcessPool pool = ctx.pool(WORKERS)) {
            long first = pool.apply(Work::pid);
            double firstMillis = (System.nanoTime() - t0) / 1e6;
            System.out.printf("%s: Pool(%d) created and its first result back (worker pid=%d) in %.0f ms%n",
                    method, WORKERS, first, firstMillis);
            List<Long> pids = pool.map(i -> {
                Work.sleep(200); // long enough that both workers take some
                return Work.pid();
            }, List.of(1, 2, 3, 4), 1).stream().distinct().sorted().toList();
            System.out.println(method + ": workers " + pids + ", their JVMs started before the pool was asked for: "
                    + children.containsAll(pids));
        }
    }
}
