package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipes between real processes: Python's {@code Pipe()} examples, end of file, one-way pipes, relays. */
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
    void bothEndsInChildrenTalkThroughTheRelay() {
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
}
