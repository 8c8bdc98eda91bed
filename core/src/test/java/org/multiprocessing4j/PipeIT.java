package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pipes between real processes: Python's {@code Pipe()} examples, end of file, one-way pipes, both ends
 * in children, messages far larger than the ring, ends sent to a running child, {@code poll} and
 * {@code waitAny} over pipes and sockets together.
 */
class PipeIT extends ProcessTestSupport {
    private final Context ctx = Multiprocessing.local();

    @Test
    void pingPongWithAChild() {
        Pipe pipe = ctx.pipe(true);
        Connection child = pipe.second();
        ChildProcess p = ctx.process(() -> {
            while (true) {
                Object message = child.recv();
                if ("END".equals(message)) {
                    break;
                }
                child.send("pong " + message + " from " + ProcessHandle.current().pid());
            }
            child.close();
        }).start();
        Connection parent = pipe.first();
        for (int i = 0; i < 100; i++) {
            parent.send(i);
            assertThat(parent.recv()).isEqualTo("pong " + i + " from " + p.pid());
        }
        parent.send("END");
        assertThatThrownBy(parent::recv).as("the child closed its end")
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        parent.close();
    }

    @Test
    void theSeedsWriterAndReader() {
        Pipe pipe = ctx.pipe(false);
        Connection writeEnd = pipe.second();
        ChildProcess writer = ctx.process(() -> {
            for (int i = 0; i < 5; i++) {
                writeEnd.send("message " + i);
            }
            writeEnd.send("END");
            writeEnd.close();
        }).start();
        Connection readEnd = pipe.first();
        List<Object> received = new ArrayList<>();
        for (Object m = readEnd.recv(); !"END".equals(m); m = readEnd.recv()) {
            received.add(m);
        }
        assertThat(received).containsExactly("message 0", "message 1", "message 2", "message 3", "message 4");
        assertThatThrownBy(() -> readEnd.send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only receives");
        writer.join();
        readEnd.close();
    }

    @Test
    void bothEndsInChildrenTalkToEachOther() {
        Pipe pipe = ctx.pipe(true);
        Connection a = pipe.first();
        Connection b = pipe.second();
        ChildProcess left = ctx.process(() -> {
            a.send("from left");
            a.send(a.recv() + " back at left");
            a.close();
        }).start();
        ChildProcess right = ctx.process(() -> {
            Object m = b.recv();
            b.send(m + " via right");
            Object last = b.recv();
            if (!"from left via right back at left".equals(last)) {
                throw new AssertionError(last);
            }
        }).start();
        left.join();
        right.join();
        assertThat(left.exitCode()).hasValue(0);
        assertThat(right.exitCode()).hasValue(0);
    }

    @Test
    void bothEndsInOneProcessWorkToo() {
        Pipe pipe = ctx.pipe(true);
        pipe.second().sendBytes(new byte[] {9, 8, 7});
        assertThat(pipe.first().poll(Duration.ofSeconds(30))).isTrue();
        assertThat(pipe.first().recvBytes()).containsExactly(9, 8, 7);
        pipe.first().send("back");
        assertThat(Connection.waitAny(List.of(pipe.second()), Duration.ofSeconds(30))).containsExactly(pipe.second());
        assertThat(pipe.second().recv()).isEqualTo("back");
        pipe.first().close();
        pipe.second().close();
    }

    /** 64 MiB each way: far more than a ring holds, streamed through it; every byte checked. */
    @Test
    void aMessageOf64MiBStreamsThroughTheRingBothWays() {
        int size = 64 << 20;
        Pipe pipe = ctx.pipe(true);
        Connection child = pipe.second();
        ChildProcess p = ctx.process(() -> {
            byte[] in = child.recvBytes();
            child.send(in.length + ":" + java.util.Arrays.hashCode(in));
            child.sendBytes(pattern(size, 31));
            child.close();
        }).start();
        Connection parent = pipe.first();
        byte[] out = pattern(size, 7);
        parent.sendBytes(out);
        assertThat(parent.recv()).isEqualTo(size + ":" + java.util.Arrays.hashCode(out));
        byte[] back = parent.recvBytes();
        assertThat(back).hasSize(size);
        assertThat(java.util.Arrays.equals(back, pattern(size, 31))).as("the 64 MiB came back intact").isTrue();
        assertThatThrownBy(parent::recvBytes).hasCauseInstanceOf(EOFException.class);
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        parent.close();
    }

    static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * seed + (i >>> 13));
        }
        return b;
    }

    /** Sizes around the ring's edges, in order, one way; each checked by the receiver. */
    @Test
    void messagesOfEverySizeArriveWholeAndInOrder() {
        int[] sizes = {0, 1, 2, 3, 4, 5, 63, 64, 65, 4095, 4096, 4097, 65535, 65536, 65537, 262139, 262140, 262141,
            262144, 262145, 524288, 1 << 20, 3, 0, 777_777};
        Pipe pipe = ctx.pipe(false);
        Connection rx = pipe.first();
        ChildProcess p = ctx.process(() -> {
            for (int i = 0; i < sizes.length; i++) {
                byte[] b = rx.recvBytes();
                if (!java.util.Arrays.equals(b, pattern(sizes[i], i + 1))) {
                    throw new AssertionError("message " + i + " of " + sizes[i] + " bytes came as " + b.length);
                }
            }
            if (!"end".equals(rx.recv())) {
                throw new AssertionError("no end");
            }
        }).start();
        Connection tx = pipe.second();
        for (int i = 0; i < sizes.length; i++) {
            tx.sendBytes(pattern(sizes[i], i + 1));
        }
        tx.send("end");
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        tx.close();
    }

    /** What was sent before a close is read, then end of file, and again at every later recv. */
    @Test
    void endOfFileComesAfterEverythingTheClosedEndSent() {
        Pipe pipe = ctx.pipe(true);
        Connection child = pipe.second();
        ChildProcess p = ctx.process(() -> {
            child.send(1);
            child.send("two");
            child.sendBytes(new byte[] {3});
            child.close();
        }).start();
        p.join();
        Connection parent = pipe.first();
        assertThat(parent.poll(Duration.ZERO)).isTrue();
        assertThat(parent.recv()).isEqualTo(1);
        assertThat(parent.recv()).isEqualTo("two");
        assertThat(parent.recvBytes()).containsExactly(3);
        assertThat(parent.poll(Duration.ofSeconds(30))).as("at end of file, recv does not wait").isTrue();
        assertThatThrownBy(parent::recv).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        assertThatThrownBy(parent::recvBytes).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parent.send("anyone?")).as("sending to a closed end")
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("broken");
        parent.close();
        assertThat(parent.isClosed()).isTrue();
        assertThatThrownBy(parent::recv).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** Python's idiom: the parent closes its copy of the child's end after start; the child's stays open. */
    @Test
    void closingTheCopyOfAnEndSentToAChildLeavesTheChildsOpen() {
        Pipe pipe = ctx.pipe(true);
        Connection child = pipe.second();
        ChildProcess p = ctx.process(() -> {
            child.send("hello " + child.recv());
            child.close();
        }).start();
        child.close();
        Connection parent = pipe.first();
        parent.send("child");
        assertThat(parent.recv()).isEqualTo("hello child");
        assertThatThrownBy(parent::recv).hasCauseInstanceOf(EOFException.class);
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        parent.close();
    }

    /** A child that ends without closing its end closes it at exit: end of file at once, not a hang. */
    @Test
    void anEndIsClosedWhenItsProcessExits() {
        Pipe pipe = ctx.pipe(false);
        Connection tx = pipe.second();
        ChildProcess p = ctx.process(() -> tx.send("last words")).start();
        Connection rx = pipe.first();
        assertThat(rx.recv()).isEqualTo("last words");
        assertThatThrownBy(rx::recv).hasCauseInstanceOf(EOFException.class);
        p.join();
        rx.close();
    }

    /** An end travels in a message to a child that is running already, and works there. */
    @Test
    void anEndSentThroughAnotherPipeWorksInTheChild() {
        Pipe control = ctx.pipe(true);
        Connection childControl = control.second();
        ChildProcess p = ctx.process(() -> {
            Connection extra = (Connection) childControl.recv();
            extra.send("via the extra pipe from " + ProcessHandle.current().pid());
            extra.close();
            childControl.send("done");
        }).start();
        Pipe extra = ctx.pipe(true);
        control.first().send(extra.second());
        assertThat(extra.first().recv()).isEqualTo("via the extra pipe from " + p.pid());
        assertThat(control.first().recv()).isEqualTo("done");
        assertThatThrownBy(extra.first()::recv).hasCauseInstanceOf(EOFException.class);
        p.join();
        assertThat(p.exitCode()).hasValue(0);
        extra.first().close();
        control.first().close();
    }

    /** A pool task that captures an end uses it in its worker. */
    @Test
    void anEndCapturedByAPoolTaskWorksInTheWorker() throws Exception {
        Pipe pipe = ctx.pipe(false);
        Connection tx = pipe.second();
        try (ProcessPool pool = ctx.pool(1)) {
            long worker = pool.apply(() -> {
                tx.send("from the worker");
                return ProcessHandle.current().pid();
            });
            assertThat(pipe.first().recv()).isEqualTo("from the worker");
            assertThat(worker).isNotEqualTo(ProcessHandle.current().pid());
        }
        pipe.first().close();
    }

    /** {@code waitAny} over a socket and a pipe: it wakes for whichever receives, and for end of file. */
    @Test
    void waitAnyWatchesPipesAndSocketsTogether() throws Exception {
        byte[] key = "pipes and sockets".getBytes();
        try (Listener listener = new Listener(new java.net.InetSocketAddress("127.0.0.1", 0), key)) {
            java.net.InetSocketAddress where = (java.net.InetSocketAddress) listener.address();
            String host = where.getHostString();
            int port = where.getPort();
            Pipe pipe = ctx.pipe(true);
            Connection childEnd = pipe.second();
            ChildProcess p = ctx.process(() -> {
                try (Connection socket = Client.connect(new java.net.InetSocketAddress(host, port), key)) {
                    childEnd.recv(); // go
                    socket.send("over the socket");
                    childEnd.recv(); // go again
                    childEnd.send("over the pipe");
                    childEnd.recv(); // done
                }
                childEnd.close();
            }).start();
            try (Connection server = listener.accept()) {
                Connection parent = pipe.first();
                List<Connection> both = List.of(server, parent);
                assertThat(Connection.waitAny(both, Duration.ofMillis(20))).isEmpty();
                assertThat(parent.poll(Duration.ofMillis(20))).isFalse();
                parent.send("go");
                assertThat(Connection.waitAny(both, Duration.ofSeconds(30))).containsExactly(server);
                assertThat(server.recv()).isEqualTo("over the socket");
                parent.send("go");
                assertThat(Connection.waitAny(both, Duration.ofSeconds(30))).containsExactly(parent);
                assertThat(parent.recv()).isEqualTo("over the pipe");
                parent.send("done");
                p.join();
                assertThat(Connection.waitAny(both, Duration.ofSeconds(30))).as("the pipe at end of file").contains(parent);
                assertThatThrownBy(parent::recv).hasCauseInstanceOf(EOFException.class);
                parent.close();
            }
            assertThat(p.exitCode()).hasValue(0);
        }
    }

    @Test
    void anEndDeserializedInItsOwnProcessIsTheSameEnd() throws Exception {
        Pipe pipe = ctx.pipe(true);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(pipe.second());
        }
        Object back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertThat(back).isSameAs(pipe.second());
        pipe.first().send("still one pipe");
        assertThat(pipe.second().recv()).isEqualTo("still one pipe");
        pipe.first().close();
        pipe.second().close();
    }
}
