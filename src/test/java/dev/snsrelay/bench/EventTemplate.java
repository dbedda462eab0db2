package dev.snsrelay.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Benchmark events of an exact size: a JSON object with a type, the sequence number, the send
 * time in epoch microseconds, and a padding string. The numbers go into fixed slots (digits then
 * spaces, which JSON allows after a value), so making an event is one array copy.
 */
final class EventTemplate {

    private static final int SLOT = 20;

    private final byte[] template;
    private final int seqAt;
    private final int sentAt;

    EventTemplate(int size) {
        String slot = " ".repeat(SLOT);
        String head = "{\"type\":\"message.new\",\"bench_seq\":" + slot
                + ",\"bench_sent_at_us\":" + slot + ",\"cid\":\"bench:load\",\"pad\":\"";
        String tail = "\"}";
        int pad = size - head.length() - tail.length();
        if (pad < 0) {
            throw new IllegalArgumentException("events cannot be smaller than "
                    + (head.length() + tail.length()) + " bytes");
        }
        template = (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.US_ASCII);
        seqAt = head.indexOf("\"bench_seq\":") + "\"bench_seq\":".length();
        sentAt = head.indexOf("\"bench_sent_at_us\":") + "\"bench_sent_at_us\":".length();
    }

    int size() {
        return template.length;
    }

    /** A fresh copy of the event with these numbers. */
    byte[] render(long seq, long sentMicros) {
        byte[] event = Arrays.copyOf(template, template.length);
        write(event, seqAt, seq);
        write(event, sentAt, sentMicros);
        return event;
    }

    private static void write(byte[] to, int at, long value) {
        byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, to, at, digits.length);
    }
}
