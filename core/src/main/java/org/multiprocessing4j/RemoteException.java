package org.multiprocessing4j;

/**
 * An exception thrown in another process that could not be sent here as itself (it, or something it
 * holds, is not serializable, or its class is not on this side's class path). It keeps the original's
 * class name, message and stack trace.
 */
public class RemoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    public RemoteException(String remoteClassName, String message, StackTraceElement[] stackTrace, Throwable cause) {
        super(remoteClassName + (message == null ? "" : ": " + message), cause);
        this.remoteClassName = remoteClassName;
        setStackTrace(stackTrace);
    }

    /** The class of the exception in the other process. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** A copy of {@code t} and its causes that can be serialized whatever they hold. */
    public static RemoteException of(Throwable t) {
        Throwable cause = t.getCause();
        return new RemoteException(t.getClass().getName(), t.getMessage(), t.getStackTrace(),
                cause == null || cause == t ? null : of(cause));
    }
}
