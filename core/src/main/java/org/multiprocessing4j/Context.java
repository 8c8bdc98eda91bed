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

    /**
     * A {@code long} shared by every process it is sent to (Python's {@code Value('q', initial)}), with
     * atomic updates: {@code incrementAndGet()} needs no lock.
     */
    SharedLong sharedLong(long initial);

    /** A {@code double} shared by every process it is sent to (Python's {@code Value('d', initial)}). */
    SharedDouble sharedDouble(double initial);

    /**
     * {@code length} shared {@code int}s, zeroed (Python's {@code Array('i', length)}).
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    SharedIntArray sharedIntArray(int length);

    /**
     * {@code length} shared {@code long}s, zeroed (Python's {@code Array('q', length)}).
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    SharedLongArray sharedLongArray(int length);

    /**
     * {@code length} shared {@code double}s, zeroed (Python's {@code Array('d', length)}).
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    SharedDoubleArray sharedDoubleArray(int length);

    /**
     * A new lock shared by processes (Python's {@code Lock}): a {@link java.util.concurrent.locks.Lock},
     * owned by one thread of one process, not reentrant; {@code newCondition()} works across processes.
     * A lock whose owner process died is recovered by the next acquirer ({@link ProcessLock#isRecovered()}).
     */
    ProcessLock lock();

    /** A new reentrant lock shared by processes (Python's {@code RLock}). */
    ProcessLock rlock();

    /**
     * A new counting semaphore shared by processes, with {@code permits} permits (Python's
     * {@code Semaphore(permits)}).
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    ProcessSemaphore semaphore(int permits);

    /**
     * A new semaphore whose {@code release()} may not raise the count past {@code permits} (Python's
     * {@code BoundedSemaphore}).
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    ProcessSemaphore boundedSemaphore(int permits);

    /** A new event flag shared by processes, clear (Python's {@code Event}). */
    ProcessEvent event();

    /**
     * A new cyclic barrier for {@code parties} threads of any processes (Python's {@code Barrier}).
     *
     * @throws IllegalArgumentException if {@code parties} is below 1 (or above 10 000)
     */
    ProcessBarrier barrier(int parties);

    /**
     * A new cyclic barrier whose last arrival runs {@code action} before the others are released
     * (Python's {@code Barrier(parties, action)}, {@link java.util.concurrent.CyclicBarrier}'s barrier
     * action): once per generation, in the process and thread that arrived last. If the action throws,
     * that thread's {@code await} throws it and the barrier breaks.
     *
     * @throws IllegalArgumentException if {@code parties} is below 1 (or above 10 000), or {@code action}
     *         cannot be serialized
     * @throws NullPointerException if {@code action} is null
     */
    ProcessBarrier barrier(int parties, SerializableRunnable action);

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
