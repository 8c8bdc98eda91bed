package org.multiprocessing4j.cli;

import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.SharedLong;

/**
 * A process that makes a shared value and then either dies without detaching ({@code orphan}: halts,
 * as {@code kill -9} would leave it) or keeps it open until its stdin closes ({@code hold}).
 */
public final class SegmentHolder {
    private SegmentHolder() {}

    public static void main(String[] args) throws Exception {
        SharedLong v = Multiprocessing.local().sharedLong(42);
        System.out.println("value " + v.name() + " lock " + v.lock().name());
        System.out.flush();
        if (args[0].equals("orphan")) {
            Runtime.getRuntime().halt(0); // no exit hook: the segments stay, attached by a dead pid
        }
        while (System.in.read() >= 0) {
            // hold until the test closes our stdin
        }
        v.close();
    }
}
