package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.io.NotSerializableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.internal.wire.Serializers;
import org.multiprocessing4j.internal.wire.CapturedLambda;

/**
 * The pool's function table: the definitions workers receive once and tasks then name by id (a map's
 * function, a stateless callable, a capturing lambda's shape), and the serialized form of what is
 * sent, computed once per class for what captures nothing.
 *
 * <p><b>Concurrency.</b> Any submitting thread, and the feeders reading {@link #definition}: concurrent
 * maps, no lock. <b>Bounds.</b> A map's function is dropped when its map ends ({@link #forget}); stateless
 * classes and lambda shapes stay for the pool's life, a few per class of the program.
 */
final class FunctionTable {
    private final Map<Integer, byte[]> functions = new ConcurrentHashMap<>();
    /** The ids under which stateless callables and functions are defined in workers, for the pool's life. */
    private final Map<Class<?>, Integer> statelessIds = new ConcurrentHashMap<>();
    /** The ids under which capturing lambdas' shapes are defined in workers, for the pool's life (a few per class). */
    private final Map<Class<?>, Integer> shapeIds = new ConcurrentHashMap<>();
    private final AtomicInteger fnIds = new AtomicInteger();

    /**
     * Sends {@code fn} to workers once, as it is first needed; returns its id. A function that holds no
     * state keeps one id for the pool's life, so a worker deserializes it once, not at every map.
     */
    int define(SerializableFunction<?, ?> fn) {
        byte[] bytes = serialize(fn, fn);
        if (STATELESS.get(fn.getClass()).stateless) {
            return statelessId(fn.getClass(), bytes);
        }
        int fnId = fnIds.incrementAndGet();
        functions.put(fnId, bytes);
        return fnId;
    }

    /** Drops a map's function once its map is over; a stateless one stays, for the next map. */
    void forget(int fnId) {
        if (!statelessIds.containsValue(fnId)) { // a few lambda classes at most
            functions.remove(fnId);
        }
    }

    /** The id under which a stateless callable or function class is defined in workers, for the pool's life. */
    int statelessId(Class<?> type, byte[] bytes) {
        Integer id = statelessIds.get(type);
        if (id == null) {
            id = statelessIds.computeIfAbsent(type, t -> {
                int fnId = fnIds.incrementAndGet();
                functions.put(fnId, bytes);
                return fnId;
            });
        }
        return id;
    }

    /** A definition's bytes (a function, a stateless callable, a lambda's shape), or null if dropped. */
    byte[] definition(int fnId) {
        return functions.get(fnId);
    }

    /** Whether every instance of {@code callable}'s class serializes alike (it captures nothing). */
    static boolean isStateless(Object callable) {
        return STATELESS.get(callable.getClass()).stateless;
    }

    /** The id under which a capturing lambda class's shape is defined in workers, for the pool's life. */
    int shapeId(Class<?> type, java.lang.invoke.SerializedLambda parts) {
        Integer id = shapeIds.get(type);
        if (id == null) {
            id = shapeIds.computeIfAbsent(type, t -> {
                int fnId = fnIds.incrementAndGet();
                functions.put(fnId, CapturedLambda.shape(parts));
                return fnId;
            });
        }
        return id;
    }

    /** The values a capturing lambda's task carries. @throws RejectedExecutionException naming the task */
    static byte[] capturedValues(java.lang.invoke.SerializedLambda parts, Object task) {
        try {
            return CapturedLambda.values(parts);
        } catch (NotSerializableException e) {
            throw new RejectedExecutionException("the task " + task.getClass().getName() + " cannot be sent to a worker: "
                    + e.getMessage() + " is not Serializable (captured by the lambda)", e);
        } catch (IOException | RuntimeException e) {
            throw new RejectedExecutionException("the task " + task.getClass().getName() + " cannot be serialized: " + e, e);
        }
    }

    /**
     * The serialized form of a lambda that captures nothing (a hidden class without fields) is the same
     * for every instance: it is computed once per class. Workers keep the matching instance
     * ({@code WorkerMain}'s stateless cache), so such a task costs no serialization at all.
     */
    private static final ClassValue<Stateless> STATELESS = new ClassValue<>() {
        @Override
        protected Stateless computeValue(Class<?> type) {
            return new Stateless(type.isHidden() && type.getDeclaredFields().length == 0);
        }
    };

    /**
     * What {@link #serialize} made of a callable or function: built from its shape, or deserialized.
     *
     * @throws IOException if the bytes are not one, or the serial filter refuses a class in them
     */
    static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length > 0 && bytes[0] == SHAPE) {
            return CapturedLambda.rebuild(java.util.Arrays.copyOfRange(bytes, 1, bytes.length), CapturedLambda.noValues());
        }
        return Serializers.get().deserialize(bytes);
    }

    /** Whether a class's instances all serialize alike, and (once known) their bytes. */
    private static final class Stateless {
        final boolean stateless;
        volatile byte[] bytes;

        Stateless(boolean stateless) {
            this.stateless = stateless;
        }
    }

    /**
     * The first byte of a definition sent as a lambda's shape ({@link CapturedLambda}) rather than
     * serialized: a JDK object stream starts with 0xAC, never with it.
     */
    static final byte SHAPE = 'L';

    /**
     * {@code object} serialized (once per class if it is stateless). A serializable lambda that captures
     * nothing travels as its shape ({@link #SHAPE}): a worker builds it without an object stream, whose
     * first use costs a fresh worker 20–30 ms ({@code docs/launch.md}), on a pool's first task.
     *
     * @throws RejectedExecutionException naming {@code task}
     */
    static byte[] serialize(Object object, Object task) {
        Stateless known = STATELESS.get(object.getClass());
        if (known.stateless) {
            byte[] cached = known.bytes;
            if (cached != null) {
                return cached;
            }
        }
        try {
            java.lang.invoke.SerializedLambda parts = known.stateless ? CapturedLambda.partsOf(object) : null;
            byte[] bytes;
            if (parts != null && parts.getCapturedArgCount() == 0) {
                byte[] shape = CapturedLambda.shape(parts);
                bytes = new byte[shape.length + 1];
                bytes[0] = SHAPE;
                System.arraycopy(shape, 0, bytes, 1, shape.length);
            } else {
                bytes = Serializers.get().serialize(object);
            }
            if (known.stateless) {
                known.bytes = bytes;
            }
            return bytes;
        } catch (NotSerializableException e) {
            throw new RejectedExecutionException("the task " + task.getClass().getName() + " cannot be sent to a worker: "
                    + e.getMessage() + " is not Serializable (captured by the lambda, or a field)", e);
        } catch (IOException | RuntimeException e) {
            throw new RejectedExecutionException("the task " + task.getClass().getName() + " cannot be serialized: " + e, e);
        }
    }
}
