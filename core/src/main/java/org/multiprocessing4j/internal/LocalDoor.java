package org.multiprocessing4j.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ProcessInfo;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.conn.Authenticator;
import org.multiprocessing4j.internal.conn.Readiness;
import org.multiprocessing4j.internal.launch.Children;
import org.multiprocessing4j.internal.launch.CpuCount;
import org.multiprocessing4j.internal.launch.CurrentProcess;
import org.multiprocessing4j.internal.launch.LaunchRequest;
import org.multiprocessing4j.internal.launch.LaunchTrace;
import org.multiprocessing4j.internal.launch.LaunchedJvm;
import org.multiprocessing4j.internal.launch.training.Training;
import org.multiprocessing4j.internal.manager.ManagerClient;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.pool.ConsoleProgressBar;
import org.multiprocessing4j.internal.shm.Kinds;
import org.multiprocessing4j.internal.shm.Segment;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.Hmac;
import org.multiprocessing4j.internal.wire.SerialFilter;
import org.multiprocessing4j.internal.wire.ValueCodec;
import org.multiprocessing4j.spi.LocalBackend;
import org.multiprocessing4j.spi.StartedProcess;

/**
 * The local backend behind {@link LocalBackend}: each method hands the public package's request to
 * the room that holds the mechanism. Holds no state (the rooms do). Made once, by name, by
 * {@link LocalBackend#get()}.
 */
public final class LocalDoor implements LocalBackend {

    public LocalDoor() {}

    @Override
    public Context context(StartMethod method, Processes processes) {
        return new LocalContext(method, processes);
    }

    @Override
    public byte[] launchMessage(ChildProcess process, SerializableRunnable target, String name, String identity,
            boolean daemon) throws IOException {
        return LaunchRequest.of(process, target, name, identity, daemon).encode();
    }

    @Override
    public String nextChildIdentity() {
        return CurrentProcess.nextChildIdentity();
    }

    @Override
    public boolean isCurrent(ChildProcess process) {
        return CurrentProcess.isRunning(process);
    }

    @Override
    public ProcessInfo currentProcess() {
        return CurrentProcess.info();
    }

    @Override
    public Optional<ProcessInfo> parentProcess() {
        return CurrentProcess.parent();
    }

    @Override
    public boolean currentIsDaemon() {
        return CurrentProcess.isDaemon();
    }

    @Override
    public List<ChildProcess> activeChildren() {
        return Children.active();
    }

    @Override
    public int cpuCount() {
        return CpuCount.get();
    }

    @Override
    public void allowDeserializationOnly(List<String> patterns) {
        SerialFilter.allowOnly(patterns);
    }

    @Override
    public void rehearse() {
        Training.rehearse();
    }

    @Override
    public long traceClock() {
        return LaunchTrace.now();
    }

    @Override
    public void started(ChildProcess process, StartedProcess started, boolean daemon, long calledAt) {
        if (started instanceof LaunchedJvm local) {
            LaunchTrace.started(local, calledAt);
            Children.add(process, local, daemon);
        }
    }

    @Override
    public void joined(StartedProcess started, String name) {
        if (started instanceof LaunchedJvm local) {
            LaunchTrace.joined(local, name);
        }
    }

    @Override
    public byte[] authkey() {
        return CurrentProcess.authkey();
    }

    @Override
    public Connection connect(SocketAddress address, byte[] authkey, Duration timeout, int maxMessageBytes) {
        return Authenticator.connect(address, authkey, timeout, maxMessageBytes);
    }

    @Override
    public Connection authenticate(SocketChannel channel, byte[] authkey, int maxMessageBytes) {
        return Authenticator.authenticate(channel, authkey, true, maxMessageBytes);
    }

    @Override
    public List<Connection> waitAny(Collection<Connection> connections, Duration timeout) {
        return Readiness.waitAny(connections, timeout);
    }

    @Override
    public Manager connectManager(SocketAddress address, byte[] authkey) {
        return ManagerClient.connect(address, authkey);
    }

    @Override
    public void serveManager(Listener listener, Consumer<? super SocketAddress> listening) {
        ManagerServer.serve(listener, listening);
    }

    @Override
    public byte[] serialize(Object object) throws IOException {
        return ValueCodec.encode(object);
    }

    @Override
    public Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        return ValueCodec.decode(bytes);
    }

    @Override
    public byte[] frame(byte[] key, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 44);
        try {
            Frames.write(out, key, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from memory
        }
        return out.toByteArray();
    }

    @Override
    public byte[] unframe(byte[] key, byte[] frame, int maxLength) throws IOException {
        return Frames.read(new ByteArrayInputStream(frame), key, maxLength);
    }

    @Override
    public byte[] newKey() {
        return Hmac.newKey();
    }

    @Override
    public LocalBackend.SharedSegment createSegment(String name, long size) {
        return new RawSegment(Segment.create(name, Kinds.RAW, size));
    }

    @Override
    public LocalBackend.SharedSegment openSegment(String name) {
        return new RawSegment(Segment.open(name, Kinds.RAW));
    }

    @Override
    public void arrived(String name) {
        Segment.arrived(name);
    }

    @Override
    public ProgressListener consoleBar() {
        return ConsoleProgressBar.create();
    }

    /** A segment of kind RAW: {@code SharedMemory}'s. */
    private record RawSegment(Segment segment) implements LocalBackend.SharedSegment {
        @Override
        public String name() {
            return segment.name();
        }

        @Override
        public long size() {
            return segment.payloadSize();
        }

        @Override
        public MemorySegment payload() {
            return segment.payload();
        }

        @Override
        public void close() {
            segment.close();
        }

        @Override
        public void unlink() {
            segment.unlink();
        }

        @Override
        public void handOff() {
            segment.handOff();
        }

        @Override
        public String toString() {
            return segment.toString();
        }
    }
}
