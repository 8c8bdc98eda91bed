package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.ChildProcess;

/**
 * A process class of one's own, started three times in parallel and then joined: seed 001, §5
 * ("创建进程2"). The subclass's fields travel to the child with it, as Python pickles the process
 * object, and only {@code run()} executes in the child.
 *
 * <p>The Python original:
 * <pre>{@code
 * class MyProcess(Process):
 *     def __init__(self, name):
 *         super().__init__()
 *         self.name = name
 *
 *     def run(self):
 *         time.sleep(5)
 *         print(f'子进程的名字:{self.name}')
 *         print(f'子进程ID是:{os.getpid()}')
 *         print(f'子进程ID{os.getpid()}结束')
 *
 * if __name__ == '__main__':
 *     print(f'主进程ID是:{os.getpid()}')
 *     process_list = []
 *     for i in range(3):                  # the 3 processes run at the same time
 *         p = MyProcess(name=f"进程{i}")
 *         p.start()
 *         process_list.append(p)
 *     for p in process_list:
 *         p.join()
 *     print('主进程结束')
 * }</pre>
 */
public final class MyProcessExample {
    private static final int PROCESSES = 3;
    private static final long NAP_MILLIS = 800;

    private MyProcessExample() {}

    /**
     * Python's {@code MyProcess}. A static nested class, so that serializing it does not drag an
     * enclosing instance along; every field must be serializable.
     */
    static final class MyProcess extends ChildProcess {
        private static final long serialVersionUID = 1L;

        private final String label;
        private final long napMillis;
        private final long createdInPid; // set in the parent: the child printing it shows the field travelled

        MyProcess(String label, long napMillis) {
            this.label = label;
            this.napMillis = napMillis;
            this.createdInPid = Work.pid();
            name(label);
        }

        @Override
        public void run() {
            Work.sleep(napMillis);
            System.out.println("child " + name() + ": fields arrived: label=" + label + ", napMillis=" + napMillis
                    + ", createdInPid=" + createdInPid);
            System.out.println("child " + name() + ": pid=" + Work.pid() + " ppid=" + Work.ppid());
            System.out.println("child " + name() + ": pid=" + Work.pid() + " ends");
        }
    }

    public static void main(String[] args) {
        System.out.println("main: pid=" + Work.pid());
        long start = System.nanoTime();
        List<MyProcess> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            MyProcess p = new MyProcess("process-" + i, NAP_MILLIS);
            p.start();
            processes.add(p);
        }
        for (MyProcess p : processes) {
            p.join();
        }
        System.out.printf("main: %d processes that each sleep %.1f s ran in parallel: all done in %.2f s%n",
                PROCESSES, NAP_MILLIS / 1000.0, Work.secondsSince(start));
        System.out.println("main ends");
    }
}
