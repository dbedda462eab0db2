package dev.snsrelay.sns;

/** What the delivery route does with a failed event. */
public enum FailureKind {
    /** Roll back; the broker redelivers with backoff until the attempt limit. */
    RETRY,
    /** Retrying cannot help: dead-letter now, with the reason. */
    DEAD_LETTER
}
