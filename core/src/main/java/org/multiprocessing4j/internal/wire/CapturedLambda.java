package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * A serializable lambda that captures values, sent as CPython sends {@code apply_async(f, args)}: its
 * <i>shape</i> (capturing class, functional interface, implementation method, signatures: what
 * {@link SerializedLambda} holds besides the captured values) is defined once per worker, under an
 * id, and each task carries only the captured values. Values that are {@code null}, booleans,
 * numbers, strings or byte arrays travel raw ({@link ValueCodec}), and so do the library's queues, locks,
 * events, semaphores, barriers, shared values and pipe ends beside them ({@link HandleValues}); any other
 * captured value sends the task's values through JDK serialization together (references between them
 * kept).
 *
 * <p>The worker rebuilds the lambda as JDK deserialization does, through the capturing class's
 * {@code $deserializeLambda$} (which checks the shape against the lambdas that class declares), but
 * without an object stream per task.
 *
 * <pre>
 * shape   string capturingClass, string functionalInterfaceClass, string functionalInterfaceMethodName,
 *         string functionalInterfaceMethodSignature, int implMethodKind, string implClass,
 *         string implMethodName, string implMethodSignature, string instantiatedMethodType, int capturedArgs
 * values  an array of values ({@link ValueArrays#encode}): raw, or one serialized list; or, where the
 *         lambda captures the library's handles and raw values, tag HANDLES and {@link HandleValues}
 * </pre>
 * (strings and numbers as {@link ByteWriter} writes them).
 */
public final class CapturedLambda {
    private CapturedLambda() {}

    // ---------------------------------------------------------------- the pool's side

    /**
     * How to take an instance of a lambda class apart: its {@code writeReplace}, or null if the class
     * is not a serializable lambda this code may open (a lambda in a module that does not open its
     * package to this library travels whole, as any other task).
     */
    private static final ClassValue<MethodHandle> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            if (!type.isHidden() || !java.io.Serializable.class.isAssignableFrom(type)) {
                return null;
            }
            try {
                Method writeReplace = type.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                return MethodHandles.lookup().unreflect(writeReplace)
                        .asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    /** The parts of {@code task}, if it is a capturing serializable lambda; else null. */
    public static SerializedLambda takeApart(Object task) {
        SerializedLambda lambda = partsOf(task);
        return lambda != null && lambda.getCapturedArgCount() > 0 ? lambda : null;
    }

    /** The parts of {@code task}, if it is a serializable lambda (capturing or not); else null. */
    public static SerializedLambda partsOf(Object task) {
        MethodHandle writeReplace = WRITE_REPLACE.get(task.getClass());
        if (writeReplace == null) {
            return null;
        }
        try {
            return (Object) writeReplace.invokeExact(task) instanceof SerializedLambda lambda ? lambda : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** The shape's bytes: the same for every instance of the lambda's class. */
    public static byte[] shape(SerializedLambda lambda) {
        return new ByteWriter(256)
                .writeString(lambda.getCapturingClass())
                .writeString(lambda.getFunctionalInterfaceClass())
                .writeString(lambda.getFunctionalInterfaceMethodName())
                .writeString(lambda.getFunctionalInterfaceMethodSignature())
                .writeInt(lambda.getImplMethodKind())
                .writeString(lambda.getImplClass())
                .writeString(lambda.getImplMethodName())
                .writeString(lambda.getImplMethodSignature())
                .writeString(lambda.getInstantiatedMethodType())
                .writeInt(lambda.getCapturedArgCount())
                .toByteArray();
    }

    /** The class that captured the lambda of {@code shape} ({@link #shape}), as the shape names it. */
    public static String capturingClass(byte[] shape) throws IOException {
        return new ByteReader(shape).readString().replace('/', '.');
    }

    /**
     * Whether every value {@code lambda} captures is raw ({@link ValueCodec}): its {@link #values} then
     * need no object stream, either way. It serializes nothing: serializing has effects (a manager's
     * proxy counts a reference for each copy sent), so a caller that may send the process whole instead
     * asks this first.
     */
    public static boolean capturesRawValues(SerializedLambda lambda) {
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            if (ValueCodec.rawSize(lambda.getCapturedArg(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code lambda} captures the library's handles ({@link HandleValues}) and otherwise raw values
     * only: its {@link #values} then need no object stream either. It serializes nothing.
     */
    public static boolean capturesHandles(SerializedLambda lambda) {
        return HandleValues.applies(capturedArgs(lambda));
    }

    private static Object[] capturedArgs(SerializedLambda lambda) {
        Object[] args = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = lambda.getCapturedArg(i);
        }
        return args;
    }

    /**
     * The lambda of {@code shape} (its bytes, {@link #shape}) with {@code values} ({@link #values}), built
     * in this JVM, for code that builds it once: a message's reader.
     *
     * @throws IOException if the bytes are malformed, the serial filter refuses a class, or the capturing
     *         class does not declare such a lambda
     */
    public static Object rebuild(byte[] shape, byte[] values) throws IOException, ClassNotFoundException {
        try {
            // the shape first: its capturing class is checked before any captured handle is attached
            return Shape.decode(shape).instantiate(values);
        } catch (IOException | ClassNotFoundException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) { // another ReflectiveOperationException, or what $deserializeLambda$ threw
            throw new IOException("cannot rebuild a lambda of " + t.getClass().getName() + ": " + t.getMessage(), t);
        }
    }

    /** The captured values' bytes of a lambda that captures nothing. */
    public static byte[] noValues() {
        try {
            return ValueArrays.encode(new Object[0]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // nothing to encode: does not fail
        }
    }

    /**
     * The captured values' bytes: raw ({@link ValueArrays}), raw with the library's handles
     * ({@link HandleValues}, each handed off), or one serialized list.
     */
    public static byte[] values(SerializedLambda lambda) throws IOException {
        Object[] args = capturedArgs(lambda);
        return HandleValues.applies(args) ? HandleValues.encode(args) : ValueArrays.encode(args);
    }

    // ---------------------------------------------------------------- the worker's side

    /** A lambda's shape, resolved in this JVM: builds an instance from each task's captured values. */
    public static final class Shape {
        private final Class<?> capturingClass;
        private final MethodHandle deserialize;
        private final String functionalInterfaceClass;
        private final String functionalInterfaceMethodName;
        private final String functionalInterfaceMethodSignature;
        private final int implMethodKind;
        private final String implClass;
        private final String implMethodName;
        private final String implMethodSignature;
        private final String instantiatedMethodType;
        private final int capturedArgs;

        private Shape(ByteReader in) throws IOException, ReflectiveOperationException {
            String capturing = in.readString();
            this.functionalInterfaceClass = in.readString();
            this.functionalInterfaceMethodName = in.readString();
            this.functionalInterfaceMethodSignature = in.readString();
            this.implMethodKind = in.readInt();
            this.implClass = in.readString();
            this.implMethodName = in.readString();
            this.implMethodSignature = in.readString();
            this.instantiatedMethodType = in.readString();
            this.capturedArgs = in.readInt();
            in.requireEnd();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            this.capturingClass = Class.forName(capturing.replace('/', '.'), false,
                    loader != null ? loader : ClassLoader.getSystemClassLoader());
            requireAllowed(SerializedLambda.class);
            requireAllowed(capturingClass); // the serial filter's rules hold here as in an object stream
            Method method = capturingClass.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            method.setAccessible(true);
            this.deserialize = MethodHandles.lookup().unreflect(method)
                    .asType(java.lang.invoke.MethodType.methodType(Object.class, SerializedLambda.class));
        }

        private static void requireAllowed(Class<?> type) throws java.io.InvalidClassException {
            if (!SerialFilter.allows(type)) {
                throw new java.io.InvalidClassException(type.getName(), "rejected by the serial filter");
            }
        }

        public static Shape decode(byte[] bytes) throws IOException, ReflectiveOperationException {
            return new Shape(new ByteReader(bytes));
        }

        /** The lambda with these captured values (as {@code SerializedLambda.readResolve} makes it). */
        public Object instantiate(byte[] values) throws Throwable {
            Object[] args = decodeValues(values);
            try {
                return instantiate(args);
            } catch (Throwable t) {
                HandleValues.closeHandles(args); // attached for a lambda that was not built
                throw t;
            }
        }

        private Object instantiate(Object[] args) throws Throwable {
            if (args.length != capturedArgs) {
                throw new IOException("a lambda of " + implClass + "." + implMethodName + " captures " + capturedArgs
                        + " values, the task carries " + args.length);
            }
            return (Object) deserialize.invokeExact(new SerializedLambda(capturingClass, functionalInterfaceClass,
                    functionalInterfaceMethodName, functionalInterfaceMethodSignature, implMethodKind, implClass,
                    implMethodName, implMethodSignature, instantiatedMethodType, args));
        }
    }

    /** Whether captured values' bytes ({@link #values}) hold the library's handles ({@link HandleValues}). */
    public static boolean holdsHandles(byte[] values) {
        return values.length > 0 && values[0] == ValueCodec.HANDLES;
    }

    static Object[] decodeValues(byte[] bytes) throws IOException, ClassNotFoundException {
        if (holdsHandles(bytes)) {
            return HandleValues.decode(bytes); // each handle attached; arrays checked as below
        }
        Object[] values = ValueArrays.decode(bytes);
        for (Object value : values) {
            requireAllowedArray(value);
        }
        return values;
    }

    /**
     * Refuses a raw {@code byte[]} longer than {@code -Dmp4j.serialFilter}'s {@code maxarray=}, as an
     * object stream holds one to it.
     */
    public static void requireAllowedArray(Object value) throws java.io.InvalidClassException {
        if (value instanceof byte[] array && !SerialFilter.allowsArray(byte[].class, array.length)) {
            throw new java.io.InvalidClassException("byte[]", "an array of " + array.length
                    + " elements rejected by the serial filter");
        }
    }
}
