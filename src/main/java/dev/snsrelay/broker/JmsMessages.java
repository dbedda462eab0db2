package dev.snsrelay.broker;

import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** Reading and copying the bodies of the message kinds the relay accepts. */
public final class JmsMessages {

    /** Event properties carried from one copy of a message to the next. */
    static final String[] EVENT_PROPERTIES = {"appId", "eventId", "eventType"};

    private JmsMessages() {
    }

    /**
     * The body as the relay handles it: String for text, byte[] for bytes, Map for map messages,
     * null for anything else. Object messages are never deserialized.
     */
    public static Object body(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            b.reset();
            return bytes;
        }
        if (m instanceof MapMessage map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements();) {
                String name = (String) names.nextElement();
                out.put(name, map.getObject(name));
            }
            return out;
        }
        return null;
    }

    /**
     * About how many bytes the body holds, without copying it: characters of a text, bytes of a
     * bytes message, a rough figure for a map. For budgets, not for the size rule.
     */
    public static long approximateSize(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            String text = t.getText();
            return text == null ? 0 : text.length();
        }
        if (m instanceof BytesMessage b) {
            return b.getBodyLength();
        }
        return 1024;
    }

    /** A new message of the same kind with the same body and the event's own properties. */
    public static Message copy(Session s, Message m) throws JMSException {
        Object body = body(m);
        Message copy;
        if (body instanceof String text) {
            copy = s.createTextMessage(text);
        } else if (body instanceof byte[] bytes) {
            BytesMessage b = s.createBytesMessage();
            b.writeBytes(bytes);
            copy = b;
        } else if (body instanceof Map<?, ?> map) {
            MapMessage nm = s.createMapMessage();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                nm.setObject((String) e.getKey(), e.getValue());
            }
            copy = nm;
        } else {
            // An object message or an empty one: kept as an empty text, the reason says why.
            copy = s.createTextMessage(null);
        }
        for (String p : EVENT_PROPERTIES) {
            String v = m.getStringProperty(p);
            if (v != null) {
                copy.setStringProperty(p, v);
            }
        }
        return copy;
    }
}
