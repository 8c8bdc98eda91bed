package org.multiprocessing4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.Lock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedLong;

/**
 * The ticket-selling race: seed 004 ("文件当数据库,模拟抢票", a file as the database, clients grabbing
 * tickets). One ticket in a JSON file; 100 client processes each look at how many are left, then buy:
 * read the file, wait (network latency), decrement if there is one left, wait, write the file back.
 * Without a lock every client reads {@code count: 1} before anyone has written {@code 0}: the one
 * ticket is sold many times. With {@code ctx.lock()} around the purchase, exactly one client buys it.
 *
 * <p>The Python original (the latencies here are a fifth of the seed's, 20 and 40 ms, so the locked
 * round takes about 2 s rather than 10):
 * <pre>{@code
 * # db.txt: {"count":1}
 * def search():
 *     dic = json.load(open('db.txt'))
 *     print('\033[43m剩余票数%s\033[0m' % dic['count'])
 *
 * def get():
 *     dic = json.load(open('db.txt'))
 *     time.sleep(0.1)                       # network latency, reading
 *     if dic['count'] > 0:
 *         dic['count'] -= 1
 *         time.sleep(0.2)                   # network latency, writing
 *         json.dump(dic, open('db.txt', 'w'))
 *         print('\033[43m购票成功\033[0m')    # bought a ticket
 *
 * def task(lock):
 *     search()
 *     lock.acquire()
 *     get()
 *     lock.release()
 *
 * if __name__ == '__main__':
 *     lock = Lock()
 *     for i in range(100):                  # 100 clients grabbing tickets at once
 *         p = Process(target=task, args=(lock,))
 *         p.start()
 * }</pre>
 *
 * <p>The clients wait at a start line (a shared counter) until all have started, so that they grab at
 * once, as the seed's clients would if starting a process took no time.
 */
public final class TicketRace {
    static final int CLIENTS = 100;
    static final int TICKETS = 1;
    static final long READ_LATENCY_MS = 20;
    static final long WRITE_LATENCY_MS = 40;
    /** A client does little: a JVM that starts with less (one compiler tier, a serial collector, a small heap). */
    static final String[] SMALL_JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-Xss256k"};
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    private TicketRace() {}

    static int search(String db) {
        int count = readCount(db);
        System.out.println("pid " + Work.pid() + ": tickets left " + count);
        return count;
    }

    /** One purchase; whether this client got a ticket. */
    static boolean get(String db) {
        int count = readCount(db);
        Work.sleep(READ_LATENCY_MS);
        if (count > 0) {
            count -= 1;
            Work.sleep(WRITE_LATENCY_MS);
            writeCount(db, count);
            System.out.println("pid " + Work.pid() + ": bought a ticket");
            return true;
        }
        return false;
    }

    static void task(String db, Lock lock, SharedLong sold, SharedLong ready, int clients) {
        ready.incrementAndGet();
        while (ready.get() < clients) { // the start line: wait, without a CPU, for everyone
            Work.sleep(2);
        }
        search(db);
        if (lock != null) {
            lock.lock();
        }
        try {
            if (get(db)) {
                sold.incrementAndGet();
            }
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    public static void main(String[] args) throws IOException {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : CLIENTS;
        Context ctx = Multiprocessing.local();
        Path dir = Files.createTempDirectory("tickets");
        try {
            round(ctx, dir.resolve("db-without-lock.json"), clients, null);
            try (ProcessLock lock = ctx.lock()) {
                round(ctx, dir.resolve("db-with-lock.json"), clients, lock);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static void round(Context ctx, Path file, int clients, ProcessLock lock) {
        String db = file.toString();
        String how = lock == null ? "without a lock" : "with ctx.lock()";
        writeCount(db, TICKETS);
        System.out.println("== " + clients + " clients, " + TICKETS + " ticket, " + how);
        long t0 = System.nanoTime();
        try (SharedLong sold = ctx.sharedLong(0); SharedLong ready = ctx.sharedLong(0)) {
            Counter.run(ctx, clients, () -> task(db, lock, sold, ready, clients), SMALL_JVM);
            System.out.printf("%s: sold %d of %d ticket(s)%s; the file says count = %d (%.1f s)%n", how, sold.get(),
                    TICKETS, sold.get() > TICKETS ? ", oversold by " + (sold.get() - TICKETS) : "", readCount(db),
                    Work.secondsSince(t0));
        }
    }

    static int readCount(String db) {
        try {
            Matcher m = COUNT.matcher(Files.readString(Path.of(db), StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalStateException("no count in " + db);
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the file whole, through a temporary file and a rename, so a reader never sees it half
     * written (the seed's {@code json.dump} can be read truncated; the lost update is the point here).
     */
    static void writeCount(String db, int count) {
        try {
            Path tmp = Path.of(db + "." + Work.pid() + ".tmp");
            Files.writeString(tmp, "{\"count\": " + count + "}", StandardCharsets.UTF_8);
            Files.move(tmp, Path.of(db), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
