package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.InvalidClassException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A {@code SerializableRunnable} whose implementation is a static method without result that takes
 * nothing, or one string or byte array it captured ({@code () -> work()}, {@code Main::work},
 * {@code () -> work(name)}), sent as its parts ({@link CapturedLambda}), run by calling that method: for a
 * child JVM that only runs its target once. Rebuilding the lambda ({@link CapturedLambda#rebuild}) spins
 * its class at run time (the JDK's AOT cache does not hold a serializable lambda's class); an exact call
 * of a {@code ()void}, {@code (String)void} or {@code (byte[])void} method handle needs no class the cache
 * does not hold once the training has made one such call ({@code Preload}): the two one-value shapes
 * share their basic type (one reference), and with it their invoker.
 *
 * <p>Only those shapes: any other (a number, several values, a receiver, a result) would need a
 * method-handle adapter, spun at run time for each signature, and that cost more than the lambda class
 * it saved (measured: docs/launch.md). What the method throws is thrown as it is.
 *
 * <p><b>Trust.</b> {@code $deserializeLambda$}, which {@link CapturedLambda#rebuild} calls, lets only the
 * serializable lambdas the capturing class declares be built; calling the named method directly does not
 * check that. So this path is taken only where an authenticated peer is trusted with any class (the
 * default mode of {@link SerialFilter}, as Python trusts a pickle), both the capturing class and the
 * implementing class must pass the class rules, and a method given a captured value must be a lambda's
 * body ({@code lambda$…}) in the capturing class itself. In allow-list mode, and for every other shape,
 * {@link #runnable} returns null and the caller rebuilds the lambda.
 */
public final class DirectLambda implements Runnable {
    private static final String RUNNABLE = "org/multiprocessing4j/SerializableRunnable";
    private static final String OF_STRING = "(Ljava/lang/String;)V";
    private static final String OF_BYTES = "([B)V";

    /** The method: of type {@code ()void}, {@code (String)void} or {@code (byte[])void}. */
    private final MethodHandle implementation;
    /** The captured string or byte array passed to the method (or null), if it takes one. */
    private final Object argument;

    private DirectLambda(MethodHandle implementation, Object argument) {
        this.implementation = implementation;
        this.argument = argument;
    }

    /**
     * The runnable for a {@code SerializableRunnable} of {@code shape} ({@link CapturedLambda#shape}) with
     * {@code values} ({@link CapturedLambda#values}), or null where the lambda must be rebuilt instead.
     *
     * @throws IOException if the bytes are malformed, or the serial filter refuses a class
     */
    public static Runnable runnable(byte[] shape, byte[] values) throws IOException, ClassNotFoundException {
        if (SerialFilter.allowListMode()) {
            return null;
        }
        ByteReader in = new ByteReader(shape);
        String capturing = in.readString();
        String functionalInterface = in.readString();
        String methodName = in.readString();
        String methodSignature = in.readString();
        int kind = in.readInt();
        String implClassName = in.readString();
        String implName = in.readString();
        String implSignature = in.readString();
        String instantiated = in.readString();
        int capturedArgs = in.readInt();
        in.requireEnd();
        MethodType type = switch (capturedArgs) {
            case 0 -> implSignature.equals("()V") ? MethodType.methodType(void.class) : null;
            case 1 -> implSignature.equals(OF_STRING) ? MethodType.methodType(void.class, String.class)
                    : implSignature.equals(OF_BYTES) ? MethodType.methodType(void.class, byte[].class) : null;
            default -> null;
        };
        if (type == null || kind != MethodHandleInfo.REF_invokeStatic || !functionalInterface.equals(RUNNABLE)
                || !methodName.equals("run") || !methodSignature.equals("()V") || !instantiated.equals("()V")) {
            return null;
        }
        if (capturedArgs == 1 && (!implClassName.equals(capturing) || !implName.startsWith("lambda$"))) {
            // A Runnable that captures one value is a lambda's body in its own class; a method reference
            // bound to a string (System::load) would be another class's method, called with the
            // message's argument: left to $deserializeLambda$, which builds only what the class declares.
            return null;
        }
        Object[] captured = CapturedLambda.decodeValues(values);
        if (captured.length != capturedArgs) {
            throw new IOException("a lambda of " + implClassName + "." + implName + " captures " + capturedArgs
                    + " values, the message carries " + captured.length);
        }
        Object argument = capturedArgs == 0 ? null : captured[0];
        if (argument != null && !type.parameterType(0).isInstance(argument)) {
            throw new IOException("a lambda of " + implClassName + "." + implName + " captures a "
                    + type.parameterType(0).getSimpleName() + ", the message carries a "
                    + argument.getClass().getName());
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        Class<?> capturingClass = Class.forName(capturing.replace('/', '.'), false,
                context != null ? context : ClassLoader.getSystemClassLoader());
        requireAllowed(capturingClass); // as an object stream and CapturedLambda check it
        Class<?> implClass = Class.forName(implClassName.replace('/', '.'), false, capturingClass.getClassLoader());
        requireAllowed(implClass);
        try {
            // the access of the capturing class, which named the method
            return new DirectLambda(MethodHandles.privateLookupIn(capturingClass, MethodHandles.lookup())
                    .findStatic(implClass, implName, type), argument);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return null; // not reachable from here (a module that does not open its package): rebuild it
        }
    }

    private static void requireAllowed(Class<?> type) throws InvalidClassException {
        if (!SerialFilter.allows(type)) {
            throw new InvalidClassException(type.getName(), "rejected by the serial filter");
        }
    }

    @Override
    public void run() {
        try {
            MethodType type = implementation.type();
            if (type.parameterCount() == 0) {
                implementation.invokeExact();
            } else if (type.parameterType(0) == String.class) {
                implementation.invokeExact((String) argument);
            } else {
                implementation.invokeExact((byte[]) argument);
            }
        } catch (Throwable t) {
            throw DirectLambda.<RuntimeException>unchanged(t);
        }
    }

    /** Throws {@code t} as it is, checked or not, as the lambda's own {@code run} lets it pass. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T unchanged(Throwable t) throws T {
        throw (T) t;
    }
}
