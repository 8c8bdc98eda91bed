package org.multiprocessing4j.hazelcast;

import java.io.Serializable;

/** A registered type for the tests of {@code manager().register/create} on the cluster. */
public interface Counter {
    int increment(int by);

    int value();

    long pid();

    void fail(String message);

    /** The implementation: its state is one int, so it travels as its serialized form. */
    final class Impl implements Counter, Serializable {
        private static final long serialVersionUID = 1L;
        private int value;

        @Override
        public int increment(int by) {
            value += by;
            return value;
        }

        @Override
        public int value() {
            return value;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public void fail(String message) {
            throw new IllegalStateException(message);
        }
    }
}
