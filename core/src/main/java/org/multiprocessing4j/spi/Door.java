package org.multiprocessing4j.spi;

/** Finds the local backend once: by name, so that the public package has no class dependency on it. */
final class Door {
    private static final String IMPLEMENTATION = "org.multiprocessing4j.internal.LocalDoor";
    static final LocalBackend LOCAL = load();

    private Door() {}

    private static LocalBackend load() {
        try {
            return Class.forName(IMPLEMENTATION, true, Door.class.getClassLoader()).asSubclass(LocalBackend.class)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the local backend " + IMPLEMENTATION + " is missing from the library: " + e, e);
        }
    }
}
