package org.multiprocessing4j.spi;

import java.io.IOException;
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

/**
 * The one door from the public package into the local backend: what {@code Multiprocessing},
 * {@code ChildProcess}, {@code Listener}, {@code Client}, {@code Manager}, {@code Connection},
 * {@code SharedMemory} and {@code ProgressListener} do on this machine, they ask of this interface.
 * Its implementation lives in the internals ({@code org.multiprocessing4j.internal.LocalDoor}) and is
 * found once, by name, so that no class of the public package depends on an internal class and no
 * class dependency runs from the internals back into the public package's behaviour (see
 * {@code docs/architecture.md}). Not for applications, nor for other backends: they implement
 * {@link Context} and {@link ProcessStarter}.
 */
public interface LocalBackend {

    /** The local backend. */
    static LocalBackend get() {
        return Door.LOCAL;
    }

    // ------------------------------------------------------------------ contexts and processes

    /** A new local context, which makes and launches processes through {@code processes}. */
    Context context(StartMethod method, Processes processes);

    /** What only the public package can do with a {@link ChildProcess}, granted to the local context. */
    interface Processes {
        /** A new process of {@code target}, started by {@code starter}. */
        ChildProcess create(SerializableRunnable target, ProcessStarter starter);

        /**
         * The launch message of {@code process}, for a child JVM on this machine.
         *
         * @throws IllegalArgumentException if it cannot be serialized (the message names the class)
         */
        byte[] launchMessage(ChildProcess process);

        /** A launch message like a user's, for the JVM start-up accelerators' training and warm-up. */
        byte[] warmUpRequest();

        /** The class of {@code process}'s target; its own class if it has none (a subclass that overrides {@code run}). */
        Class<?> targetClass(ChildProcess process);
    }

    /**
     * The launch message of {@code process} under these (the caller's) name, identity and daemon flag;
     * {@code target} is its target when it is a plain {@code ChildProcess} whose {@code run()} runs just
     * that (the message may then carry the target alone), else null.
     */
    byte[] launchMessage(ChildProcess process, SerializableRunnable target, String name, String identity,
            boolean daemon) throws IOException;

    /** The identity of the next child this process makes (Python's {@code _identity}). */
    String nextChildIdentity();

    /** Whether {@code process} is the process object this JVM was started to run (the child's copy). */
    boolean isCurrent(ChildProcess process);

    ProcessInfo currentProcess();

    Optional<ProcessInfo> parentProcess();

    boolean currentIsDaemon();

    List<ChildProcess> activeChildren();

    int cpuCount();

    void allowDeserializationOnly(List<String> patterns);

    /**
     * What the AOT cache's training run executes: a pool worker's, a queue's, a pipe's and a manager's
     * traffic in one JVM.
     */
    void rehearse();

    /** A timestamp for the launch trace ({@code -Dmp4j.trace.launch}). */
    long traceClock();

    /** {@code process} was started as {@code started} at {@code calledAt}: a child of this JVM, if it runs here. */
    void started(ChildProcess process, StartedProcess started, boolean daemon, long calledAt);

    /** {@code process} ({@code name}) was joined. */
    void joined(StartedProcess started, String name);

    // ------------------------------------------------------------------ connections and managers

    /** This process's authkey (Python's {@code current_process().authkey}). */
    byte[] authkey();

    Connection connect(SocketAddress address, byte[] authkey, Duration timeout, int maxMessageBytes);

    /** The server side of the handshake on an accepted channel; its connection. */
    Connection authenticate(SocketChannel channel, byte[] authkey, int maxMessageBytes);

    List<Connection> waitAny(Collection<Connection> connections, Duration timeout);

    Manager connectManager(SocketAddress address, byte[] authkey);

    void serveManager(Listener listener, Consumer<? super SocketAddress> listening);

    // ------------------------------------------------------------------ serialization and frames

    /**
     * {@code object} in the library's value form: a tag and the raw value for null, booleans, ints,
     * longs, doubles, strings and byte arrays (most of what travels), else a tag and its serialized form.
     *
     * @throws java.io.NotSerializableException naming the class
     */
    byte[] serialize(Object object) throws IOException;

    /** The object in {@code bytes} ({@link #serialize}'s form), through the library's deserialization filter. */
    Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException;

    /** {@code body} framed with its HMAC-SHA256 under {@code key}. */
    byte[] frame(byte[] key, byte[] body);

    /**
     * The body of {@code frame}, once its MAC under {@code key} is checked; null if it holds none.
     *
     * @throws org.multiprocessing4j.AuthenticationException if the MAC does not match
     * @throws IOException if it is not a frame, is truncated, or is longer than {@code maxLength}
     */
    byte[] unframe(byte[] key, byte[] frame, int maxLength) throws IOException;

    /** A new random key (32 bytes). */
    byte[] newKey();

    // ------------------------------------------------------------------ shared memory and progress

    /** A new segment of {@code size} bytes under {@code name}. */
    SharedSegment createSegment(String name, long size);

    /** The existing segment {@code name}. */
    SharedSegment openSegment(String name);

    /** A segment that crossed to this process ({@code SharedMemory}'s serial form) has arrived. */
    void arrived(String name);

    ProgressListener consoleBar();

    /** A named shared-memory segment, as {@code SharedMemory} uses it. */
    interface SharedSegment {
        String name();

        long size();

        MemorySegment payload();

        void close();

        void unlink();

        /** Kept for the process it is sent to, should this one close it first. */
        void handOff();
    }
}
