package dev.ferry.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One JSON object per line on stdout. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object(String type) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type);
        return n;
    }

    static void print(PrintStream out, ObjectNode node) {
        try {
            String line = MAPPER.writeValueAsString(node);
            synchronized (out) {
                out.print(line + System.lineSeparator()); // one write; println writes the line ending apart
                out.flush();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
