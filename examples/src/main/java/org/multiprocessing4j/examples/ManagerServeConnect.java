package org.multiprocessing4j.examples;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Pipe;

/**
 * A manager served by one process and used by others through {@link Manager#connect}: seed 003's
 * {@code BaseManager} serving a queue over the network (here on loopback TCP; {@code mp4j manager serve}
 * does the same from the command line). A producer process connects and puts work on the shared
 * queue; the main process connects, takes it, and shuts the server down.
 *
 * <p>The Python original (abridged):
 * <pre>{@code
 * class QueueManager(BaseManager): pass
 * QueueManager.register('get_queue', callable=lambda: queue)
 * m = QueueManager(address=('', 50000), authkey=b'abracadabra')
 * m.get_server().serve_forever()              # the server
 *
 * m = QueueManager(address=('127.0.0.1', 50000), authkey=b'abracadabra')
 * m.connect(); m.get_queue().put('hello')     # a client
 * }</pre>
 */
public final class ManagerServeConnect {
    private ManagerServeConnect() {}

    public static void main(String[] args) throws InterruptedException {
        Context ctx = Multiprocessing.local();
        byte[] key = "abracadabra".getBytes();
        Pipe pipe = ctx.pipe(false);
        var told = pipe.second();
        ChildProcess server = ctx.process(() -> Manager.serve(new InetSocketAddress("127.0.0.1", 0), key,
                where -> told.send(((InetSocketAddress) where).getPort()))).name("server").start();
        int port = (Integer) pipe.first().recv();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        System.out.println("server: pid=" + server.pid() + " listening on 127.0.0.1:" + port);

        try (Manager manager = Manager.connect(address, key)) {
            BlockingQueue<String> queue = manager.queue();
            ChildProcess producer = ctx.process(() -> {
                // The queue proxy travelled here as the server's address and the queue's id; connecting
                // with the key tells this process which key that address takes.
                try (Manager m = Manager.connect(address, key)) {
                    for (String job : List.of("wash", "dry", "fold")) {
                        queue.add(job + " (from pid " + ProcessHandle.current().pid() + ")");
                    }
                }
            }).name("producer").start();
            for (int i = 0; i < 3; i++) {
                System.out.println("main: took " + queue.take());
            }
            producer.join();
            System.out.println("main: producer pid=" + producer.pid() + ", main pid=" + Work.pid());
            manager.shutdown();
        }
        server.join();
        System.out.println("server: exit code " + server.exitCode().orElse(-1));
    }
}
