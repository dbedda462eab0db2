package dev.snsrelay.bench;

/**
 * What a load phase did: events sent, accepted by the relay (202, or a completed durable JMS
 * send), refused or failed, the epoch microseconds of the first send and the last acceptance,
 * and the first error seen, if any.
 */
record LoadResult(long sent, long accepted, long failed, long firstSendMicros,
        long lastAcceptMicros, String firstError) {

    double acceptedPerSecond() {
        long span = lastAcceptMicros - firstSendMicros;
        return span <= 0 ? 0 : accepted * 1e6 / span;
    }
}
