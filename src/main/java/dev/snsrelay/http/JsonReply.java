package dev.snsrelay.http;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The relay's HTTP answers: a status and a JSON body, and no request header echoed back. */
public final class JsonReply {

    private JsonReply() {
    }

    public static void send(Exchange exchange, int status, ObjectNode body) {
        Message out = exchange.getMessage();
        // platform-http would otherwise copy the request's headers into the response.
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        // A length rather than chunked encoding: one frame less for every webhook answer.
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        out.setHeader(Exchange.CONTENT_LENGTH, json.length);
        out.setBody(json);
    }

    /** {"error": ..., "code": ...}, and "field" when a settings field is at fault. */
    public static ObjectNode error(ObjectMapper mapper, String code, String message,
            String field) {
        ObjectNode n = mapper.createObjectNode();
        n.put("error", message);
        n.put("code", code);
        if (field != null) {
            n.put("field", field);
        }
        return n;
    }
}
