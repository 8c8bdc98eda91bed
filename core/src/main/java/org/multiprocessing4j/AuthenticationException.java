package org.multiprocessing4j;

/**
 * The peer did not prove it holds the authkey (Python's {@code AuthenticationError}). Nothing it sent
 * was deserialized.
 */
public class AuthenticationException extends SecurityException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
