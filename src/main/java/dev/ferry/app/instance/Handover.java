package dev.ferry.app.instance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a second start of Ferry sends the running app, as one line of JSON: the token from the address file and
 * the links it was opened with (none: just show the window). The app answers one line, {@value #ACCEPTED} or
 * {@value #REFUSED}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Handover(String token, List<String> links) {
    static final String ACCEPTED = "ok";
    static final String REFUSED = "refused";
    /** The longest line either side reads: a few thousand links, and no more. */
    static final int MAX_LINE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    Handover {
        links = links == null ? List.of() : List.copyOf(links);
    }

    byte[] toLine() throws IOException {
        byte[] json = JSON.writeValueAsBytes(this);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    static Handover parse(String line) throws IOException {
        return JSON.readValue(line, Handover.class);
    }

    /** One line from {@code in}, without its end; null at the end of the stream or past {@link #MAX_LINE}. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                return null;
            }
            line.write(b);
        }
        return null;
    }

    static void writeLine(OutputStream out, String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
