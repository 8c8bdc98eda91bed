package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProgressListener;
import org.multiprocessing4j.spi.AbstractPoolBuilder;

/** {@link ProcessPool.Builder} for the local backend: the checks are {@link AbstractPoolBuilder}'s. */
public final class PoolBuilder extends AbstractPoolBuilder {
    private final Context context;

    public PoolBuilder(Context context) {
        super(Multiprocessing.cpuCount());
        this.context = context;
    }

    @Override
    public ProcessPool.Builder progress(ProgressListener listener) {
        progressListener(listener);
        return this;
    }

    @Override
    public ProcessPool.Builder insights(boolean measure) {
        measureInsights(measure);
        return this;
    }

    @Override
    public ProcessPool build() {
        return new LocalPool(context, config());
    }
}
