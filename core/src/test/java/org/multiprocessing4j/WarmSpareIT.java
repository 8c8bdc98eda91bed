package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The warm-spare start method: every start is still a new process, and no spare outlives its parent. */
class WarmSpareIT extends ProcessTestSupport {

    /** Starts processes through a WARM_SPARE context and prints what each saw; then its descendants. */
    public static final class SpareDriver {
        public static void main(String[] args) {
            Context ctx = Multiprocessing.local(StartMethod.WARM_SPARE);
            for (int i = 0; i < 5; i++) {
                int n = i;
                ChildProcess p = ctx.process(() -> System.out.println("child " + n + " pid "
                        + ProcessHandle.current().pid() + " parent " + Multiprocessing.currentProcess().parentPid()
                        + " name " + Multiprocessing.currentProcess().name()));
                p.start();
                p.join();
                System.out.println("exit " + n + " " + p.exitCode().getAsInt());
            }
            ChildProcess exits = ctx.process(() -> System.exit(4)).start();
            exits.join();
            System.out.println("exit-code " + exits.exitCode().getAsInt());
            ChildProcess cold = ctx.process(() -> System.out.println("cold " + System.getProperty("cold")))
                    .jvmOptions("-Dcold=yes").start();
            cold.join();
            System.out.println("main " + ProcessHandle.current().pid());
            System.out.println("descendants " + ProcessHandle.current().descendants().map(h -> Long.toString(h.pid())).toList());
        }
    }

    /** Waits for the context's two spares, then starts a Pool(2) and prints the spares' and the workers' pids. */
    public static final class PoolOnSparesDriver {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.local(StartMethod.WARM_SPARE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Long> spares = List.of();
            while (spares.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                spares = ProcessHandle.current().children()
                        .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[a.length - 1].equals("spare")).orElse(false))
                        .map(ProcessHandle::pid).sorted().toList();
            }
            System.out.println("spares " + spares);
            try (ProcessPool pool = ctx.pool(2)) {
                long offset = args.length; // captured: a capturing lambda's class must resolve in a spare too
                List<Long> ran = pool.map(i -> ProcessHandle.current().pid() + offset, List.of(1, 2, 3, 4, 5, 6), 1);
                List<Long> workers = pool.workerPids();
                while (workers.size() < 2 && System.nanoTime() < deadline) { // the second may still be connecting
                    Thread.sleep(20);
                    workers = pool.workerPids();
                }
                System.out.println("workers " + workers.stream().sorted().toList());
                System.out.println("ran on " + ran.stream().distinct().sorted().toList());
            }
        }
    }

    @Test
    void aPoolOfTwoStartsOnTheContextsTwoSpares() throws Exception {
        JvmResult result = runJvm(PoolOnSparesDriver.class, Duration.ofSeconds(90));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String spares = find(result.stdout(), "spares (\\[[\\d, ]*\\])").get(0);
        assertThat(spares).as(result.toString()).matches("\\[\\d+, \\d+\\]");
        assertThat(find(result.stdout(), "workers (\\[[\\d, ]*\\])").get(0)).isEqualTo(spares);
        List<String> sparePids = List.of(spares.substring(1, spares.length() - 1).split(", "));
        assertThat(find(result.stdout(), "ran on \\[([\\d, ]*)\\]").get(0).split(", ")).isSubsetOf(sparePids);
    }

    @Test
    void eachStartIsANewProcessAndTheSpareEndsWithTheParent() throws Exception {
        JvmResult result = runJvm(SpareDriver.class, Duration.ofSeconds(90));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String out = result.stdout();
        long main = Long.parseLong(find(out, "main (\\d+)").get(0));
        Set<String> pids = new HashSet<>();
        Matcher m = Pattern.compile("child (\\d) pid (\\d+) parent (\\d+) name (\\S+)").matcher(out);
        int children = 0;
        while (m.find()) {
            children++;
            pids.add(m.group(2));
            assertThat(Long.parseLong(m.group(3))).isEqualTo(main);
            assertThat(m.group(4)).startsWith("ChildProcess-");
        }
        assertThat(children).as(result.toString()).isEqualTo(5);
        assertThat(pids).hasSize(5).doesNotContain(Long.toString(main));
        for (int i = 0; i < 5; i++) {
            assertThat(out).contains("exit " + i + " 0");
        }
        assertThat(out).contains("exit-code 4").contains("cold yes");
        for (String pid : find(out, "descendants \\[([\\d, ]*)\\]").get(0).split(", ")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(h -> {
                    try {
                        h.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                        throw new AssertionError("spare " + pid + " outlived its parent", e);
                    }
                });
            }
        }
    }

    private static List<String> find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in\n%s", regex, text).isTrue();
        return List.of(m.group(1));
    }
}
