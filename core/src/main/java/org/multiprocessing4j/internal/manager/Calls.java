package org.multiprocessing4j.internal.manager;

/**
 * Where a proxy's calls go: its server's {@link Endpoint}. An interface so that a test can stand in
 * for the server and see which method each proxy method calls.
 */
interface Calls {
    /** The server's address, as a proxy is serialized with it ({@code unix:/path} or {@code tcp:host:port}). */
    String address();

    /**
     * Calls the method {@code signature} ({@code name(type,…)}) of shared object {@code id} with
     * {@code args} and returns its result. The server's exception is rethrown as itself if it is
     * unchecked or an instance of one of {@code declared}, else as a {@link org.multiprocessing4j.RemoteException}.
     */
    Object call(String id, String signature, Object[] args, Class<?>[] declared) throws Throwable;
}
