package org.multiprocessing4j;

/**
 * One value held by a {@link Manager} (Python's {@code manager.Value(typecode, value)}): every method
 * runs on the server, atomically. The value must be serializable.
 */
public interface ManagedValue<T> {

    T get();

    void set(T value);

    T getAndSet(T value);

    /** Sets {@code value} if the current value {@code equals} {@code expected}. */
    boolean compareAndSet(T expected, T value);

    /** Applies {@code update} on the server, atomically, and returns the new value. */
    T updateAndGet(SerializableFunction<T, T> update);
}
