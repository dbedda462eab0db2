package dev.snsrelay.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SNS topic ARN, checked strictly: it becomes the path of an endpoint URI, so nothing beyond
 * the documented shape may pass (no '?', '&' or '#' could smuggle endpoint options in).
 */
public record TopicArn(String value, String partition, String region, String account,
        String name) {

    private static final Pattern SHAPE = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):sns:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):"
                    + "([A-Za-z0-9_-]{1,256}(?:\\.fifo)?)");

    public static TopicArn parse(String value) {
        if (value == null) {
            throw new InvalidSettingsException("sns_topic_arn", "is required");
        }
        Matcher m = SHAPE.matcher(value);
        if (!m.matches()) {
            throw new InvalidSettingsException("sns_topic_arn",
                    "must look like arn:aws:sns:<region>:<12 digits>:<topic name>");
        }
        return new TopicArn(value, m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /** SNS treats a topic as FIFO exactly when its name ends in .fifo. */
    public boolean fifo() {
        return name.endsWith(".fifo");
    }

    @Override
    public String toString() {
        return value;
    }
}
