package dev.snsrelay.bench;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Throughput and latency of one measured phase, from what the sink recorded: each event's first
 * arrival counts once (a redelivered copy is a duplicate), and latency is its arrival time minus
 * the send time the load generator embedded just before sending it.
 *
 * @param delivered   distinct events of the phase that reached the sink
 * @param duplicates  further copies of them
 * @param perSecond   delivered / (last arrival - first send)
 */
record Measurement(long delivered, long duplicates, double perSecond, double p50Ms,
        double p99Ms, double p999Ms, double maxMs) {

    static Measurement of(SnsSink.Recording rec, long firstSeq, int maxEvents,
            long firstSendMicros) {
        BitSet seen = new BitSet(maxEvents);
        long[] latencies = new long[rec.size()];
        int n = 0;
        long duplicates = 0;
        long lastArrival = firstSendMicros;
        for (int i = 0; i < rec.size(); i++) {
            long index = rec.seq(i) - firstSeq;
            if (index < 0 || index >= maxEvents) {
                continue; // a late copy of a warm-up event
            }
            if (seen.get((int) index)) {
                duplicates++;
                continue;
            }
            seen.set((int) index);
            latencies[n++] = rec.arrivalMicros(i) - rec.sentMicros(i);
            lastArrival = Math.max(lastArrival, rec.arrivalMicros(i));
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        long span = lastArrival - firstSendMicros;
        return new Measurement(n, duplicates, span <= 0 ? 0 : n * 1e6 / span,
                percentileMs(sorted, 0.50), percentileMs(sorted, 0.99),
                percentileMs(sorted, 0.999), n == 0 ? Double.NaN : sorted[n - 1] / 1000.0);
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double percentileMs(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sortedMicros.length);
        return sortedMicros[Math.max(0, rank - 1)] / 1000.0;
    }
}
