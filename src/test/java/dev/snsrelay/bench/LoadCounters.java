package dev.snsrelay.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters shared by the threads or callbacks of one load phase. */
final class LoadCounters {

    final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastAccept = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    void sending(long micros) {
        sent.incrementAndGet();
        firstSend.accumulateAndGet(micros, Math::min);
    }

    void accepted() {
        accepted.incrementAndGet();
        lastAccept.accumulateAndGet(SnsSink.nowMicros(), Math::max);
    }

    void failed(String why) {
        failed.incrementAndGet();
        firstError.compareAndSet(null, why);
    }

    LoadResult result() {
        long first = firstSend.get() == Long.MAX_VALUE ? 0 : firstSend.get();
        return new LoadResult(sent.get(), accepted.get(), failed.get(), first, lastAccept.get(),
                firstError.get());
    }
}
