package dev.snsrelay.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;

/**
 * The parameter names of a request's query string, lower-cased. platform-http merges query
 * parameters into the same headers as HTTP headers, so a check that must see a real header (a
 * token, a signature) first makes sure the name did not come from the URL.
 */
public final class QueryString {

    private QueryString() {
    }

    public static Set<String> names(Exchange exchange) {
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        Set<String> names = new HashSet<>();
        if (query == null || query.isEmpty()) {
            return names;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            try {
                names.add(URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
