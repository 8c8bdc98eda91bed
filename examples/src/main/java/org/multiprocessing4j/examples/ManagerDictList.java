package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;

/**
 * A manager's dict and list shared by ten processes: seed 003 ("Manager的作用是提供多进程共享的全局变量").
 * Each child writes its own key and appends to the list; the main process sees all of it. The dict
 * and list live in the manager's server process; the children hold proxies.
 *
 * <p>The Python original:
 * <pre>{@code
 * def f(d, l, i):
 *     d[i] = os.getpid()
 *     l.append(i)
 *
 * if __name__ == '__main__':
 *     with Manager() as manager:
 *         d = manager.dict()
 *         l = manager.list()
 *         ps = [Process(target=f, args=(d, l, i)) for i in range(10)]
 *         for p in ps: p.start()
 *         for p in ps: p.join()
 *         print(d)
 *         print(sorted(l))
 * }</pre>
 */
public final class ManagerDictList {
    private ManagerDictList() {}

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<Integer, Long> d = manager.dict();
            List<Integer> l = manager.list();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                children.add(ctx.process(() -> {
                    d.put(n, ProcessHandle.current().pid());
                    l.add(n);
                }).start());
            }
            children.forEach(ChildProcess::join);
            System.out.println("main: pid=" + Work.pid());
            System.out.println("dict: " + new java.util.TreeMap<>(d));
            System.out.println("sorted list: " + l.stream().sorted().toList());
            System.out.println("distinct writer pids: " + d.values().stream().distinct().count());
            System.out.println("writer pids: " + new java.util.TreeSet<>(d.values()));
        }
    }
}
