package org.multiprocessing4j;

/** The {@link PoolContract} on the local backend: worker JVMs on this machine. */
class LocalPoolIT extends PoolContract {
    @Override
    protected ProcessPool newPool(int processes) {
        return Multiprocessing.local().pool(processes);
    }
}
