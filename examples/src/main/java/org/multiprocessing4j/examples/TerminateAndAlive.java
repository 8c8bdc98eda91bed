package org.multiprocessing4j.examples;

import java.time.Duration;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * {@code terminate()}, {@code is_alive()}, {@code join([timeout])}, {@code name} and {@code pid}: seed 003
 * ("terminate与is_alive", "name与pid"). A join with a timeout returns, the process still running; a
 * terminated process is no longer alive once joined; the signal itself is asynchronous.
 *
 * <p>The Python original:
 * <pre>{@code
 * class Piao(Process):
 *     def __init__(self, name):
 *         super().__init__()
 *         self.name = name
 *     def run(self):
 *         print('%s is piaoing' % self.name)
 *         time.sleep(random.randrange(1, 5))
 *         print('%s is piao end' % self.name)
 *
 * p = Piao('egon')
 * p.start()
 * p.terminate()      # ends p, without any clean-up
 * print(p.is_alive()) # True: the signal was only just sent
 * time.sleep(0.2)
 * print(p.is_alive()) # False
 * print(p.name, p.pid)
 * }</pre>
 */
public final class TerminateAndAlive {
    private static final long TASK_MILLIS = 30_000;
    private static final Duration JOIN_TIMEOUT = Duration.ofMillis(500);

    private TerminateAndAlive() {}

    static void piao(String name) {
        System.out.println(name + " is piaoing: pid=" + Work.pid());
        Work.sleep(TASK_MILLIS);
        System.out.println(name + " is piao end (this should not happen)");
    }

    public static void main(String[] args) {
        ChildProcess p = Multiprocessing.local().process(() -> piao("egon")).name("egon");
        System.out.println("main: before start(): isAlive=" + p.isAlive() + " exitCode=" + p.exitCode());
        p.start();
        System.out.println("main: after start(): name=" + p.name() + " pid=" + p.pid() + " isAlive=" + p.isAlive());
        boolean ended = p.join(JOIN_TIMEOUT);
        System.out.println("main: join(" + JOIN_TIMEOUT.toMillis() + " ms) returned " + ended
                + ": the timeout expired, isAlive=" + p.isAlive());
        p.terminate();
        System.out.println("main: right after terminate(): isAlive=" + p.isAlive()
                + " (the signal is asynchronous, as in Python)");
        p.join();
        System.out.println("main: after join(): isAlive=" + p.isAlive() + " exitCode=" + p.exitCode().orElseThrow());
        System.out.println("main: active children now: " + Multiprocessing.activeChildren().size());
    }
}
