package org.multiprocessing4j;

/** The {@link PoolBuilderContract} on the local backend. */
class PoolBuilderTest extends PoolBuilderContract {
    private final Context ctx = Multiprocessing.local();

    @Override
    protected Context context() {
        return ctx;
    }
}
