package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.wire.CapturedLambda;
import org.multiprocessing4j.internal.wire.DirectLambda;
import org.multiprocessing4j.internal.wire.SerialFilter;
import org.multiprocessing4j.internal.wire.Serializers;

/**
 * In a child, from the first line of {@code main}: on a thread of its own, what building the launch
 * message's target will need and the main thread would otherwise do in series, while that thread reads
 * and checks the frame:
 *
 * <ul>
 *   <li>{@code ProcessHandle}'s initialization (its native part, this process's entry of {@code /proc}),
 *       which the child's identity and its entry of the process table need;
 *   <li>{@link SerialFilter}'s class rules, which the target's capturing class is checked against;
 *   <li>a method-handle call of a static method taking a {@code SerializedLambda}, the shape of the
 *       call by which {@link CapturedLambda.Shape} reaches the capturing class's
 *       {@code $deserializeLambda$}: its adapters ({@code LambdaForm}s), which the AOT cache may not
 *       hold, are spun here, together with the class-file writer that spins them.
 * </ul>
 *
 * <p>Then it reads a class file from the class path's JARs ({@link #readClassFile}), the path by which the
 * user's class that holds the target is loaded, and loads the parent watch's classes, so that the AOT
 * cache's training run (which has no parent watch) archives them. Every step is one the launch takes
 * anyway; the JDK's class initialization and caches make the main thread wait for, or reuse, what this
 * thread has begun, never do it twice.
 *
 * <p>It does not touch object streams: a launch message of the common form (a lambda and its raw
 * captured values, {@link LaunchRequest}) needs none, and an {@code ObjectInputStream}'s first use costs
 * 20–30 ms ({@code ObjectInputFilter.Config}'s logger lookup opens every JAR of the class path). A
 * message of the serialized form pays that on the main thread; warm spares and the AOT training run pay
 * it ahead ({@link #objectStreams}).
 *
 * <p>A plain class rather than a lambda: a lambda's first linkage costs milliseconds on this path.
 */
final class Preload implements Runnable {
    private static final long STACK_SIZE = 256 * 1024;

    private Preload() {}

    static void start() {
        Thread thread = new Thread(null, new Preload(), "mp4j-preload", STACK_SIZE);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        ProcessHandle.current(); // the child's identity and its process table entry: a native part, /proc
        try {
            SerialFilter.allows(Preload.class);
            Method like = Preload.class.getDeclaredMethod("likeDeserializeLambda", SerializedLambda.class);
            like.setAccessible(true);
            Object unused = (Object) MethodHandles.lookup().unreflect(like)
                    .asType(MethodType.methodType(Object.class, SerializedLambda.class))
                    .invokeExact((SerializedLambda) null);
            MethodHandles.lookup().findStatic(Preload.class, "likeTarget", MethodType.methodType(void.class)).invokeExact();
            MethodHandles.lookup().findStatic(Preload.class, "likeTargetOfOneValue",
                    MethodType.methodType(void.class, String.class)).invokeExact("");
        } catch (Throwable e) {
            // A warm-up only: the main thread does the same work, meets the same failure (a malformed
            // -Dmp4j.serialFilter, say) and reports it as a failed launch.
        }
        readClassFile();
        ParentWatch.load();
    }

    /**
     * What a launch message of the serialized form needs: an object stream (and with it
     * {@code ObjectInputFilter.Config}), a serialized lambda read through {@code SerializedLambda}'s
     * {@code readResolve}, the process class's stream descriptor. For a warm spare while it waits, and
     * the AOT cache's training run; never on a child's start-up path.
     */
    static void objectStreams() {
        String text = "warm-up";
        List<Integer> numbers = List.of(1, 2, 3);
        SerializableRunnable probe = () -> {
            if (text.length() + numbers.size() < 0) {
                throw new AssertionError();
            }
        };
        try {
            Serializers.get().deserialize(Serializers.get().serialize(probe));
            ObjectStreamClass.lookup(ChildProcess.class);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // a warm-up only
        }
    }

    /**
     * Reads one of this library's class files through the system class loader, as resolving the user's
     * first class will (the user's classes are not in the AOT cache): the class path's lookup, the JAR
     * entry's inflation, code that a child whose every other class came from the cache has not run yet.
     * In a warm spare it runs while the spare waits.
     */
    static void readClassFile() {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(Bootstrap.class.getName().replace('.', '/') + ".class")) {
            if (in != null) {
                in.readAllBytes();
            }
        } catch (IOException | RuntimeException e) {
            // a warm-up only
        }
    }

    /**
     * The shape of a target {@link DirectLambda} calls: its exact invocation's invoker, which the AOT
     * cache then holds.
     */
    private static void likeTarget() {
        // nothing: the call is the warm-up
    }

    /**
     * The shape of a target {@link DirectLambda} calls with the string or byte array it captured (a
     * pool worker's, with its settings): their invoker (one reference argument), which the AOT cache
     * then holds.
     */
    private static void likeTargetOfOneValue(String captured) {
        // nothing: the call is the warm-up
    }

    /** The shape of a capturing class's {@code $deserializeLambda$}. */
    private static Object likeDeserializeLambda(SerializedLambda lambda) {
        return lambda;
    }
}
