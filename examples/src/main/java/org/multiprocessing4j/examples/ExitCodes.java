package org.multiprocessing4j.examples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.SerializableRunnable;

/**
 * How a process ends, read from its exit code with Python's convention ({@code p.exitcode}, seed 003's
 * "属性介绍"): 0 when {@code run()} returns, n for {@code System.exit(n)}, 1 when {@code run()} throws
 * (the stack trace is printed on the child's stderr, which is ours), −15 after {@code terminate()}
 * (SIGTERM) and −9 after {@code kill()} (SIGKILL).
 *
 * <p>The Python original:
 * <pre>{@code
 * def sleepy():
 *     time.sleep(60)
 *
 * if __name__ == '__main__':
 *     ps = [Process(target=lambda: None), Process(target=sys.exit, args=(3,)),
 *           Process(target=lambda: 1 / 0), Process(target=sleepy), Process(target=sleepy)]
 *     for p in ps: p.start()
 *     ps[3].terminate()
 *     ps[4].kill()
 *     for p in ps:
 *         p.join()
 *         print(p.name, p.exitcode)     # 0, 3, 1, -15, -9
 * }</pre>
 */
public final class ExitCodes {
    private static final long SLEEPY_MILLIS = 60_000;
    private static final Duration LET_IT_RUN = Duration.ofMillis(800);

    private ExitCodes() {}

    static void sleepy() {
        Work.sleep(SLEEPY_MILLIS);
    }

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        Map<String, ChildProcess> children = new LinkedHashMap<>();
        children.put("run() returns", start(ctx, "normal", () -> { }));
        children.put("System.exit(3)", start(ctx, "exit-3", () -> System.exit(3)));
        children.put("run() throws", start(ctx, "throws", () -> {
            throw new IllegalStateException("an uncaught exception in the child, on purpose");
        }));
        children.put("terminate() (SIGTERM)", start(ctx, "terminated", ExitCodes::sleepy));
        children.put("kill() (SIGKILL)", start(ctx, "killed", ExitCodes::sleepy));

        stop(children.get("terminate() (SIGTERM)"), true);
        stop(children.get("kill() (SIGKILL)"), false);
        children.values().forEach(ChildProcess::join);
        System.out.flush();
        System.err.flush();
        children.forEach((how, p) -> System.out.printf("%-10s pid=%-8d %-22s exitCode=%d%n",
                p.name(), p.pid(), how, p.exitCode().orElseThrow()));
    }

    private static ChildProcess start(Context ctx, String name, SerializableRunnable target) {
        return ctx.process(target).name(name).start();
    }

    /** Lets the sleeper get going (join with a timeout returns false: still alive), then stops it. */
    private static void stop(ChildProcess p, boolean gently) {
        boolean ended = p.join(LET_IT_RUN);
        System.out.println("main: " + p.name() + " ended within " + LET_IT_RUN.toMillis() + " ms: " + ended
                + "; now " + (gently ? "terminate()" : "kill()"));
        if (gently) {
            p.terminate();
        } else {
            p.kill();
        }
    }
}
