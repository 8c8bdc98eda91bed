/**
 * multiprocessing4j: Python's {@code multiprocessing} for Java, with real OS processes.
 * Only {@code org.multiprocessing4j} is API; everything under {@code internal} may change.
 */
module org.multiprocessing4j {
    requires java.management;
    requires jdk.jfr;
    exports org.multiprocessing4j;
    exports org.multiprocessing4j.spi;
    uses org.multiprocessing4j.spi.ClusterBackend;
}
