/** The consumer application, also runnable from the module path. */
module example.mp4japp {
    requires org.multiprocessing4j;
    exports org.example.mp4japp;
}
