package org.multiprocessing4j;

import java.lang.management.ManagementFactory;

/** For AotCacheIT: starts one child that prints the JVM options it was started with. */
public final class AotProbe {
    private AotProbe() {}

    public static void main(String[] args) {
        ChildProcess p = Multiprocessing.local().process(() ->
                System.out.println("child options " + ManagementFactory.getRuntimeMXBean().getInputArguments()));
        p.start();
        p.join();
        System.exit(p.exitCode().orElse(99));
    }
}
