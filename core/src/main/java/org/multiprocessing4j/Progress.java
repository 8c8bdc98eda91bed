package org.multiprocessing4j;

import java.time.Duration;
import java.util.Optional;

/**
 * How far one pool call ({@code map}, {@code imap}, {@code invokeAll} …) has got: what a
 * {@link ProgressListener} is told.
 *
 * @param operation the pool method, e.g. {@code "map"}, {@code "imapUnordered"}, {@code "invokeAll"}
 * @param done      items finished (a {@code map} item, an {@code invokeAll} task), successfully or not
 * @param failed    of {@code done}, the items whose task failed (every item of a failed chunk)
 * @param total     how many items the call has, or {@code -1} while unknown (an {@code imap} over an
 *                  iterator that has not ended)
 * @param elapsed   since the call began
 */
public record Progress(String operation, long done, long failed, long total, Duration elapsed) {

    /** Whether the number of items is known. */
    public boolean totalKnown() {
        return total >= 0;
    }

    /** Items finished per second since the call began (0 before the first). */
    public double rate() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : done * 1e9 / nanos;
    }

    /** {@code done / total}, or {@code NaN} while the total is unknown (1 for an empty call). */
    public double fraction() {
        if (!totalKnown()) {
            return Double.NaN;
        }
        return total == 0 ? 1 : (double) done / total;
    }

    /** The time left at the rate so far; empty while the total or the rate is unknown. */
    public Optional<Duration> eta() {
        double rate = rate();
        if (!totalKnown() || rate <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) (Math.max(0, total - done) / rate * 1e9)));
    }
}
