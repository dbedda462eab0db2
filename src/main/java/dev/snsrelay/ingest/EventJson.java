package dev.snsrelay.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Proves an event body is one well-formed JSON object and reads its top-level "type", without
 * building a tree: the text itself is what gets published, byte for byte, so number spellings
 * and escapes stay exactly as the sender wrote them.
 */
public final class EventJson {

    private final JsonFactory factory;

    /** @param maxDepth deepest nesting accepted; deeper bodies are refused, not recursed into */
    public EventJson(int maxDepth) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .build())
                .build();
    }

    /**
     * What the relay needs to know of an event: its top-level "type" and "cid" (the channel),
     * each null when absent or not a string.
     */
    public record Summary(String type, String channel) {
    }

    /** Decodes UTF-8 strictly: a malformed sequence is an error, never a replacement char. */
    public static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEventException("invalid_utf8", "the body is not valid UTF-8");
        }
    }

    public Summary inspect(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidEventException("empty_body", "the body is empty");
        }
        try (JsonParser p = factory.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidEventException("not_an_object",
                        "an event must be a JSON object, not " + describe(first));
            }
            String type = null;
            String channel = null;
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new InvalidEventException("invalid_json", "the JSON ends too early");
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        String name = p.currentName();
                        if (depth == 1 && ("type".equals(name) || "cid".equals(name))) {
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.VALUE_STRING && "type".equals(name)) {
                                type = p.getText();
                            } else if (v == JsonToken.VALUE_STRING) {
                                channel = p.getText();
                            } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                                depth++;
                            }
                        }
                    }
                    default -> {
                        // Scalars need no attention; the tokenizer has already checked them.
                    }
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidEventException("invalid_json",
                        "unexpected content after the JSON object");
            }
            return new Summary(type, channel);
        } catch (StreamConstraintsException e) {
            if (e.getMessage() != null && e.getMessage().contains("nesting depth")) {
                throw new InvalidEventException("too_deep", "the JSON is nested too deeply");
            }
            throw new InvalidEventException("invalid_json",
                    "the JSON exceeds a size limit of the parser (a name or value too long)");
        } catch (IOException e) {
            throw new InvalidEventException("invalid_json", "malformed JSON at line "
                    + locationOf(e));
        }
    }

    private static String locationOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                && j.getLocation() != null) {
            return j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return "?";
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString();
        };
    }
}
