package org.multiprocessing4j.examples;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * child processes of this JVM, so the example can show their pids before the pool exists, then see the
 * pool's workers are those very processes. Timings are printed, not promised: they depend on the
 * machine.
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
    private static final long SPARES_WAIT_MILLIS = 30_000;

    private StartMethods() {}

    public static void main(String[] args) {
        System.out.println("main: pid=" + Work.pid());
        Context spawn = Multiprocessing.local(StartMethod.SPAWN);
        try (ProcessPool untimed = spawn.pool(WORKERS)) {
            untimed.apply(Work::pid); // this JVM's own first pool: its classes load, its code warms up
        }
        timedPool("spawn", spawn);

        Context warm = Multiprocessing.local(StartMethod.WARM_SPARE); // its spares start booting now
        Set<Long> spares = awaitSpares();
        System.out.println("warm spares booted, waiting: " + spares);
        List<Long> workers = timedPool("warm spare", warm);
        System.out.println("the pool's workers are the spares: " + spares.containsAll(workers));
    }

    /** Creates a Pool(2), waits for one result from each worker, prints the time; returns the workers' pids. */
    private static List<Long> timedPool(String method, Context ctx) {
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
            System.out.println(method + ": workers " + pids);
            return pids;
        }
    }

    /** The pids of this JVM's spares, once both have booted (their last argument is {@code spare}). */
    private static Set<Long> awaitSpares() {
        long deadline = System.currentTimeMillis() + SPARES_WAIT_MILLIS;
        Set<Long> spares = new TreeSet<>();
        while (spares.size() < WORKERS && System.currentTimeMillis() < deadline) {
            Work.sleep(50);
            spares.clear();
            ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[a.length - 1].equals("spare"))
                            .orElse(false))
                    .forEach(p -> spares.add(p.pid()));
        }
        Work.sleep(500); // booted is not yet warmed: let them finish their warm-up, as a real program would
        return spares;
    }
}
