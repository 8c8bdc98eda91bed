package org.multiprocessing4j.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketConnectionTest {
    @TempDir
    Path dir;

    @Test
    void theReaderThreadHoldsABoundedInboxAndTheSenderWaits() throws Exception {
        long limit = 1 << 20;
        int frames = 64;
        int size = 256 << 10; // 16 MiB in all, sixteen times the inbox
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            SocketChannel clientChannel = SocketChannel.open(address);
            SocketChannel serverChannel = server.accept();
            try (SocketConnection sender = SocketConnection.over(clientChannel);
                 SocketConnection receiver = new SocketConnection(serverChannel,
                         new DataInputStream(new BufferedInputStream(Channels.newInputStream(serverChannel), 1 << 16)),
                         new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(serverChannel), 1 << 16)),
                         SocketConnection.MAX_MESSAGE, limit)) {
                assertThat(receiver.poll(Duration.ZERO)).as("starts the reader thread").isFalse();
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < frames; i++) {
                        byte[] frame = new byte[size];
                        Arrays.fill(frame, (byte) i);
                        sender.sendBytes(frame);
                    }
                });
                while (!receiver.readerWaiting()) { // the reader stops when the inbox is full
                    assertThat(sent).as("the sender cannot be done: nothing was received").isNotDone();
                    LockSupport.parkNanos(1_000_000);
                }
                long bound = limit + size + 64; // the limit, and the frame read when just under it
                assertThat(receiver.inboxBytes()).isLessThanOrEqualTo(bound);
                for (int i = 0; i < frames; i++) {
                    byte[] frame = receiver.recvBytes();
                    assertThat(frame).hasSize(size);
                    assertThat(frame[0]).isEqualTo((byte) i);
                    assertThat(frame[size - 1]).isEqualTo((byte) i);
                    assertThat(receiver.inboxBytes()).isLessThanOrEqualTo(bound);
                }
                sent.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aFrameLargerThanTheInboxStillPasses() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("t.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            SocketChannel clientChannel = SocketChannel.open(address);
            SocketChannel serverChannel = server.accept();
            try (SocketConnection sender = SocketConnection.over(clientChannel);
                 SocketConnection receiver = new SocketConnection(serverChannel,
                         new DataInputStream(Channels.newInputStream(serverChannel)),
                         new DataOutputStream(Channels.newOutputStream(serverChannel)), SocketConnection.MAX_MESSAGE, 1024)) {
                assertThat(receiver.poll(Duration.ZERO)).isFalse();
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    sender.sendBytes(new byte[100_000]);
                    sender.send("after");
                });
                assertThat(receiver.recvBytes()).hasSize(100_000);
                assertThat(receiver.recv()).isEqualTo("after");
                sent.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
