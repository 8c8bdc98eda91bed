package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.wire.SerialFilter;

/**
 * In a child, from the first line of {@code main}: on a thread of its own, what deserializing the launch
 * message will need and the main thread would otherwise do in series, while that thread reads and checks
 * the frame:
 *
 * <ul>
 *   <li>{@link SerialFilter}'s class rules, and with them {@code ObjectInputFilter.Config}'s
 *       initialization, which every {@code ObjectInputStream} needs: {@code System.getLogger} (a
 *       {@code ServiceLoader} scan of the class path's JARs) and the security properties (a file read);
 *   <li>the stream descriptors of {@code ChildProcess} and {@code SerializedLambda} (reflection over
 *       their fields, cached by the JDK for the process's life);
 *   <li>a reflective call of a static method taking a {@code SerializedLambda}, the shape of the call
 *       by which {@code SerializedLambda.readResolve} reaches the capturing class's
 *       {@code $deserializeLambda$}: its method-handle adapters ({@code LambdaForm}s), which the AOT
 *       cache does not hold, are spun here, together with the class-file writer that spins them.
 * </ul>
 *
 * <p>Then it reads a class file from the class path's JARs ({@link #readClassFile}), the path by which the
 * user's class that holds the target is loaded, and loads the parent watch's classes, so that the AOT cache's training run (which has no parent
 * watch) archives them. Every step is one the launch takes anyway; the JDK's class initialization and
 * caches make the main thread wait for, or reuse, what this thread has begun, never do it twice.
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
        try {
            SerialFilter.forMessage(0);
            ObjectStreamClass.lookup(ChildProcess.class);
            ObjectStreamClass.lookup(SerializedLambda.class);
            Method like = Preload.class.getDeclaredMethod("likeDeserializeLambda", SerializedLambda.class);
            like.setAccessible(true);
            like.invoke(null, (Object) null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // A warm-up only: the main thread does the same work, meets the same failure (a malformed
            // -Dmp4j.serialFilter, say) and reports it as a failed launch.
        }
        readClassFile();
        ParentWatch.load();
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

    /** The shape of a capturing class's {@code $deserializeLambda$}. */
    private static Object likeDeserializeLambda(SerializedLambda lambda) {
        return lambda;
    }
}
