package org.multiprocessing4j;

/**
 * Makes every multiprocessing primitive, as Python's context objects do. {@link Multiprocessing#local()}
 * is the default: child JVMs on this machine. Code written against {@code Context} runs on any backend.
 */
public interface Context {

    /**
     * A new process that will run {@code target} in a child JVM. It is not started: configure it
     * ({@link ChildProcess#name(String)}, {@link ChildProcess#daemon(boolean)} …), then
     * {@link ChildProcess#start()}.
     *
     * @throws NullPointerException if {@code target} is null
     */
    ChildProcess process(SerializableRunnable target);

    /** A pool of {@code processes} worker processes (Python's {@code Pool(processes)}). */
    ProcessPool pool(int processes);

    /** A builder for a pool with an initializer, a task timeout, a worker lifetime … */
    ProcessPool.Builder poolBuilder();

    /**
     * Creates a named block of {@code size} shared bytes (Python's {@code SharedMemory(name, create=True,
     * size=size)}); {@link SharedMemory#open(String)} attaches to it from any process.
     */
    SharedMemory sharedMemory(String name, long size);

    /**
     * A two-way ({@code duplex}) or one-way pipe between two processes (Python's {@code Pipe(duplex)}):
     * send one end to a child, keep the other. In a one-way pipe the first end receives and the second
     * sends.
     */
    Pipe pipe(boolean duplex);

    /**
     * Starts a manager server in its own (daemon) child JVM and returns a client of it (Python's
     * {@code multiprocessing.Manager()}); closing the manager stops the server.
     */
    Manager manager();

    /** How this context starts child JVMs. */
    StartMethod startMethod();
}
