package dev.snsrelay.broker;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which dead letters an operator means: all of them, one app's, or some by id. Always explicit,
 * so that a request without a filter can never purge the queue by accident. Values are checked
 * against strict patterns before they go into a JMS selector.
 */
public record DeadLetterFilter(boolean all, String app, List<String> ids) {

    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ID = Pattern.compile("ID:[A-Za-z0-9:._-]{1,100}");

    public DeadLetterFilter {
        ids = ids == null ? List.of() : List.copyOf(ids);
        int given = (all ? 1 : 0) + (app != null ? 1 : 0) + (ids.isEmpty() ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of all, app or ids");
        }
        if (app != null && !APP.matcher(app).matches()) {
            throw new IllegalArgumentException("app must be an app id");
        }
        for (String id : ids) {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("ids must be dead letter ids (ID:...)");
            }
        }
        if (ids.size() > 1000) {
            throw new IllegalArgumentException("at most 1000 ids at a time");
        }
    }

    /** A JMS message selector, or null for every message. */
    public String selector() {
        if (all) {
            return null;
        }
        if (app != null) {
            return "appId = '" + app + "'";
        }
        return "JMSMessageID IN (" + ids.stream().map(i -> "'" + i + "'")
                .collect(Collectors.joining(", ")) + ")";
    }
}
