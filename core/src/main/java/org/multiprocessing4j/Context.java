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

    /** An unbounded queue between processes (Python's {@code Queue()}). */
    <E> ProcessQueue<E> queue();

    /**
     * A queue of at most {@code maxsize} elements (Python's {@code Queue(maxsize)}).
     *
     * @throws IllegalArgumentException if {@code maxsize < 1}
     */
    <E> ProcessQueue<E> queue(int maxsize);

    /** An unbounded {@link JoinableQueue}. */
    <E> JoinableQueue<E> joinableQueue();

    /** A {@link JoinableQueue} of at most {@code maxsize} elements. @throws IllegalArgumentException if {@code maxsize < 1} */
    <E> JoinableQueue<E> joinableQueue(int maxsize);

    /**
     * Python's {@code SimpleQueue}: an unbounded queue. Without a feeder thread, Python's difference
     * between the two does not exist here.
     */
    <E> ProcessQueue<E> simpleQueue();

    /** How this context starts child JVMs. */
    StartMethod startMethod();
}
