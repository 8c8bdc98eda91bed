package org.multiprocessing4j.examples;

import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessInfo;

/**
 * {@code os.getpid()} and {@code os.getppid()} in a parent and its child: seed 003 ("python 多进程").
 * The child's parent pid is the main process's pid, as the operating system sees it and as
 * {@link Multiprocessing#parentProcess()} reports it; the main process has no parent process of ours.
 *
 * <p>The Python original:
 * <pre>{@code
 * def info(title):
 *     print(title)
 *     print('parent process:', os.getppid())
 *     print('process id:', os.getpid())
 *
 * def f(name):
 *     info('function f')
 *     print('hello', name)
 *
 * if __name__ == '__main__':
 *     info('main line')
 *     p = Process(target=f, args=('bob',))
 *     p.start()
 *     p.join()
 * }</pre>
 */
public final class PidPpid {
    private PidPpid() {}

    static void info(String title) {
        System.out.println(title + ": pid=" + Work.pid() + " ppid=" + Work.ppid());
        System.out.println(title + ": currentProcess() = " + Multiprocessing.currentProcess());
        System.out.println(title + ": parentProcess() = " + Multiprocessing.parentProcess()
                .map(ProcessInfo::toString).orElse("none"));
    }

    /** The target: runs in the child JVM. */
    static void f(String name) {
        info("child");
        System.out.println("child: hello " + name);
    }

    public static void main(String[] args) {
        info("main");
        ChildProcess p = Multiprocessing.local().process(() -> f("bob")).name("child-bob");
        p.start();
        p.join();
        System.out.println("main: the child was pid=" + p.pid() + "; its ppid should be ours, pid=" + Work.pid());
    }
}
