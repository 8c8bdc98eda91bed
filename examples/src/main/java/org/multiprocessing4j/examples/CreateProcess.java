package org.multiprocessing4j.examples;

import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * Creating one process with a target and arguments, starting it and waiting for it: seed 001, §4
 * ("创建进程1"). The child is a separate JVM: its pid differs from ours and its parent pid is ours.
 *
 * <p>The Python original:
 * <pre>{@code
 * def sub_process_run(name):
 *     time.sleep(5)
 *     print(f'子进程的名字:{name}')        # the child's name
 *     print(f'子进程ID是:{os.getpid()}')   # the child's pid
 *
 * if __name__ == '__main__':
 *     print(f'主进程ID是:{os.getpid()}')   # the main process's pid
 *     p = Process(target=sub_process_run, args=('子进程1',), name="子进程1")
 *     p.start()
 *     p.join()
 *     print('主进程结束')                   # main ends
 * }</pre>
 *
 * <p>{@code args=(…)} becomes an argument captured by the lambda: it is serialized and sent to the child.
 */
public final class CreateProcess {
    private CreateProcess() {}

    /** The target: runs in the child JVM. */
    static void subProcessRun(String name) {
        Work.sleep(500);
        System.out.println("child: name argument = " + name
                + ", currentProcess().name() = " + Multiprocessing.currentProcess().name());
        System.out.println("child: pid=" + Work.pid() + " ppid=" + Work.ppid());
    }

    public static void main(String[] args) {
        System.out.println("main: pid=" + Work.pid());
        String name = "child-1";
        ChildProcess p = Multiprocessing.local().process(() -> subProcessRun(name)).name(name);
        p.start();
        System.out.println("main: started " + p.name() + " as pid=" + p.pid() + ", waiting for it (join)");
        p.join();
        System.out.println("main: " + p.name() + " ended with exit code " + p.exitCode().orElseThrow());
        System.out.println("main ends");
    }
}
