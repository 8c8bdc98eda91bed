package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;

/**
 * The count-down of {@code {'count': 100}} by 100 processes under a manager's lock: seed 003. Each
 * child reads the count and writes it back less one; without the lock two children could read the
 * same value and the count would end above 0. With it, it ends at exactly 0.
 *
 * <p>The Python original:
 * <pre>{@code
 * def work(d, lock):
 *     with lock:
 *         d['count'] -= 1
 *
 * if __name__ == '__main__':
 *     lock = Lock()
 *     with Manager() as m:
 *         d = m.dict({'count': 100})
 *         ps = [Process(target=work, args=(d, lock)) for i in range(100)]
 *         for p in ps: p.start()
 *         for p in ps: p.join()
 *         print(d)
 * }</pre>
 */
public final class ManagerCountDown {
    static final int PROCESSES = 100;
    /** How many children run at once: 100 JVMs at a time would only crowd a small machine. */
    static final int WAVE = 10;

    private ManagerCountDown() {}

    public static void main(String[] args) {
        Context ctx = Multiprocessing.local();
        try (Manager manager = ctx.manager()) {
            ConcurrentMap<String, Integer> d = manager.dict();
            Lock lock = manager.lock();
            d.put("count", PROCESSES);
            for (int started = 0; started < PROCESSES; started += WAVE) {
                List<ChildProcess> wave = new ArrayList<>();
                for (int i = 0; i < WAVE; i++) {
                    wave.add(ctx.process(() -> {
                        lock.lock();
                        try {
                            d.put("count", d.get("count") - 1);
                        } finally {
                            lock.unlock();
                        }
                    }).start());
                }
                wave.forEach(ChildProcess::join);
            }
            System.out.println(PROCESSES + " processes each took 1 under the manager's lock: " + d);
        }
    }
}
