package dev.snsrelay.sns;

import java.util.Map;

/**
 * The size SNS charges a publish against its limit: the UTF-8 bytes of the message plus, for each
 * message attribute, the bytes of its name, its data type and its value.
 */
public final class PublishSize {

    /** The data type the relay gives every attribute it sets. */
    public static final String STRING_TYPE = "String";

    private PublishSize() {
    }

    public static long of(CharSequence message, Map<String, String> stringAttributes) {
        long size = utf8Length(message);
        for (Map.Entry<String, String> a : stringAttributes.entrySet()) {
            size += utf8Length(a.getKey()) + STRING_TYPE.length() + utf8Length(a.getValue());
        }
        return size;
    }

    /** UTF-8 length without encoding the text; an unpaired surrogate counts 3 bytes. */
    public static long utf8Length(CharSequence s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
