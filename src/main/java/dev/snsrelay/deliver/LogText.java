package dev.snsrelay.deliver;

/**
 * Text from an event (its type, its id) made safe for one log line: control and line-separator
 * characters become '?', so a crafted value cannot start a forged line, and the length is
 * capped, so a huge "type" cannot put an event body in the log.
 */
public final class LogText {

    private static final int MAX = 120;

    private LogText() {
    }

    public static String safe(String s) {
        if (s == null) {
            return null;
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder out = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029'
                    || (c >= 0x80 && c < 0xa0);
            out.append(control ? '?' : c);
        }
        if (s.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
