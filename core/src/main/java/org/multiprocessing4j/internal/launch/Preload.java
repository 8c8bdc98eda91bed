package org.multiprocessing4j.internal.launch;

import org.multiprocessing4j.internal.wire.Serializers;

/**
 * In a child, from the first line of {@code main}: on a thread of its own, what the launch will need and
 * the main thread would otherwise do in series — {@code ObjectInputFilter.Config}'s initialization
 * ({@code System.getLogger} and the security properties, which every {@code ObjectInputStream} needs:
 * 5–10 ms of a cold child) — while the main thread reads and checks the launch frame. It also loads the
 * parent watch's classes, so that the AOT cache's training run (which has no parent watch) archives them.
 *
 * <p>A plain class rather than a lambda: a lambda's first linkage costs milliseconds on this path.
 */
final class Preload implements Runnable {
    private static final long STACK_SIZE = 256 * 1024;

    private Preload() {}

    static void start() {
        Thread thread = new Thread(null, new Preload(), "mp4j-preload", STACK_SIZE);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        Serializers.get();
        ParentWatch.load();
    }
}
