package dev.snsrelay.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * What one load phase sends: events numbered from {@code firstSeq}, stopping at
 * {@code maxEvents} or {@code maxTime}, whichever comes first; paced to {@code ratePerSec} when
 * above zero, otherwise as fast as the generator's concurrency allows. With a {@code delivered}
 * counter, sending also pauses while more than {@code maxBacklog} events are queued in the relay,
 * so a saturating run measures the sustained end-to-end rate without building an unbounded
 * backlog that would take minutes to drain.
 */
record Plan(long firstSeq, int maxEvents, Duration maxTime, double ratePerSec,
        LongSupplier delivered, long maxBacklog) {

    static Plan saturating(long firstSeq, int maxEvents, Duration maxTime,
            LongSupplier delivered, long maxBacklog) {
        return new Plan(firstSeq, maxEvents, maxTime, 0, delivered, maxBacklog);
    }

    static Plan paced(long firstSeq, int maxEvents, Duration maxTime, double ratePerSec) {
        return new Plan(firstSeq, maxEvents, maxTime, ratePerSec, null, 0);
    }

    /**
     * Waits until event {@code index} (0-based in this phase) may go: its slot in the pacing
     * schedule has come and the backlog is below the bound. False when the deadline passed.
     */
    boolean awaitTurn(long index, long sentSoFar, long startNanos, long deadlineNanos) {
        if (ratePerSec > 0) {
            long due = startNanos + (long) (index * 1e9 / ratePerSec);
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                if (now >= deadlineNanos) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
            }
        }
        if (delivered != null) {
            while (sentSoFar - delivered.getAsLong() > maxBacklog) {
                if (System.nanoTime() >= deadlineNanos) {
                    return false;
                }
                LockSupport.parkNanos(200_000);
            }
        }
        return System.nanoTime() < deadlineNanos;
    }
}
