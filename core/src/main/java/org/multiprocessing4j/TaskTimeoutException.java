package org.multiprocessing4j;

import java.util.concurrent.TimeoutException;

/** A task ran longer than its pool's {@code taskTimeout}; its worker was killed and replaced. */
public class TaskTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String message) {
        super(message);
    }
}
