package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The bench's statistics: medians, and the summary of per-round ratios. */
public final class Stats {
    private Stats() {}

    /** The median; the mean of the two middle values for an even count. */
    public static double median(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<Double> sorted = new ArrayList<>(values.size());
        for (Number v : values) {
            sorted.add(v.doubleValue());
        }
        sorted.sort(null);
        int k = sorted.size();
        return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
    }

    /**
     * How many times faster we are, for times: CPython's ÷ ours. Above 1 we are faster.
     *
     * @throws IllegalArgumentException if a time is not positive
     */
    public static double ratio(double cpython, double ours) {
        if (!(cpython > 0) || !(ours > 0)) {
            throw new IllegalArgumentException("times must be > 0, were " + cpython + " and " + ours);
        }
        return cpython / ours;
    }

    /** The per-round ratios of one row, summarised: median, min and max. */
    public record RatioSummary(List<Double> ratios, double median, double min, double max) {
        public RatioSummary {
            ratios = List.copyOf(ratios);
        }
    }

    /** Pairs round i of CPython with round i of ours, for times (CPython's ÷ ours). */
    public static RatioSummary ratios(List<Double> cpython, List<Double> ours) {
        return ratios(cpython, ours, false);
    }

    /**
     * Pairs round i of CPython with round i of ours: CPython's ÷ ours for times, ours ÷ CPython's
     * when a higher figure is better (throughputs, speed-ups), so above 1 always means we are ahead.
     */
    public static RatioSummary ratios(List<Double> cpython, List<Double> ours, boolean higherIsBetter) {
        if (cpython.size() != ours.size() || cpython.isEmpty()) {
            throw new IllegalArgumentException("rounds must pair up, were " + cpython.size() + " and " + ours.size());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < cpython.size(); i++) {
            ratios.add(higherIsBetter ? ratio(ours.get(i), cpython.get(i)) : ratio(cpython.get(i), ours.get(i)));
        }
        double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new RatioSummary(ratios, median(ratios), min, max);
    }
}
