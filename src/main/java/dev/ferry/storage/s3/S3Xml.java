package dev.ferry.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.BucketsPage;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.MultipartPages;
import dev.ferry.storage.ObjectSummary;

/**
 * The S3 XML documents Ferry reads, on the JDK's own StAX reader (a data-binding XML library costs a
 * command-line run a few hundred milliseconds of class loading). Each answer is read into a small tree of
 * elements, which is fine for S3's documents: a listing page holds at most 1000 entries. Fields are taken
 * from the direct children of the element that holds them, by local name, so documents with and without
 * the S3 namespace read alike and anything unknown, at any depth, is ignored.
 */
final class S3Xml {
    /**
     * Elements deeper than this are skipped unread: the deepest field Ferry reads is
     * ListAllMyBucketsResult/Buckets/Bucket/Name.
     */
    private static final int MAX_DEPTH = 4;

    private S3Xml() {
    }

    /** An S3 error document; {@code code} is never null or blank. */
    record Error(String code, String message, String requestId) {
    }

    // ---------------------------------------------------------------- documents

    /**
     * The error document a 2xx answer may carry instead of its result (S3 does this for copies and
     * CompleteMultipartUpload, which fail after the 200 status line is sent); null for anything else.
     * Only the root element decides: a result that merely contains a {@code Code} element is no error.
     */
    static Error parseEmbeddedError(byte[] body) {
        Element root = readOrNull(body);
        return root != null && root.name().equals("Error") ? toError(root) : null;
    }

    /** Parses an error document; null when the body is not one. */
    static Error parseError(byte[] body) {
        Element root = readOrNull(body);
        return root == null ? null : toError(root);
    }

    private static Error toError(Element root) {
        String code = root.childText("Code");
        if (code == null || code.isBlank()) {
            return null;
        }
        return new Error(code.strip(), root.childText("Message"), root.childText("RequestId"));
    }

    /** InitiateMultipartUploadResult: the new upload's id. */
    static String parseUploadId(byte[] body) throws IOException {
        String id = readResult(body).childText("UploadId");
        if (id == null || id.isBlank()) {
            throw new IOException("the answer has no UploadId");
        }
        return id;
    }

    /**
     * The ETag of a CopyObjectResult, CopyPartResult or CompleteMultipartUploadResult, exactly as sent (with
     * its quotes).
     */
    static String parseEtag(byte[] body) throws IOException {
        String etag = readResult(body).childText("ETag");
        if (etag == null || etag.isBlank()) {
            throw new IOException("the answer has no ETag");
        }
        return etag;
    }

    static MultipartPages.Parts parseParts(byte[] body) throws IOException {
        Element result = readResult(body);
        List<UploadedPart> parts = new ArrayList<>();
        for (Element p : result.children("Part")) {
            parts.add(new UploadedPart(p.childInt("PartNumber", 0), p.childText("ETag"), p.childLong("Size", 0)));
        }
        if (!result.childFlag("IsTruncated")) {
            return new MultipartPages.Parts(parts, null);
        }
        // S3 always names the next marker; the last part listed is the same thing if a server forgets it
        Integer marker = result.childInt("NextPartNumberMarker", null);
        Integer next = marker != null ? marker : parts.isEmpty() ? null : parts.get(parts.size() - 1).number();
        if (next == null) {
            throw new IOException("the part listing is truncated but does not say where to go on");
        }
        return new MultipartPages.Parts(parts, next);
    }

    static MultipartPages.Uploads parseUploads(byte[] body) throws IOException {
        Element result = readResult(body);
        boolean urlEncoded = isUrlEncoded(result);
        List<MultipartUpload> uploads = new ArrayList<>();
        for (Element u : result.children("Upload")) {
            String key = u.childText("Key");
            String uploadId = u.childText("UploadId");
            if (key != null && uploadId != null) {
                uploads.add(new MultipartUpload(decode(key, urlEncoded), uploadId,
                        parseInstant(u.childText("Initiated"))));
            }
        }
        if (!result.childFlag("IsTruncated")) {
            return new MultipartPages.Uploads(uploads, null, null);
        }
        String nextKey = result.childText("NextKeyMarker");
        if (nextKey == null || nextKey.isEmpty()) {
            throw new IOException("the upload listing is truncated but has no NextKeyMarker");
        }
        // NextKeyMarker is URL-encoded like the keys; it goes back as a plain query value
        return new MultipartPages.Uploads(uploads, decode(nextKey, urlEncoded), result.childText("NextUploadIdMarker"));
    }

    /** ListBucketResult (ListObjectsV2). */
    static ListPage parseList(byte[] body) throws IOException {
        Element result = readResult(body);
        boolean urlEncoded = isUrlEncoded(result);
        List<ObjectSummary> objects = new ArrayList<>();
        for (Element c : result.children("Contents")) {
            String key = c.childText("Key");
            if (key != null) {
                objects.add(new ObjectSummary(decode(key, urlEncoded), c.childLong("Size", 0), c.childText("ETag"),
                        parseInstant(c.childText("LastModified"))));
            }
        }
        List<String> prefixes = new ArrayList<>();
        for (Element p : result.children("CommonPrefixes")) {
            String prefix = p.childText("Prefix");
            if (prefix != null) {
                prefixes.add(decode(prefix, urlEncoded));
            }
        }
        if (!result.childFlag("IsTruncated")) {
            return new ListPage(objects, prefixes, null);
        }
        String next = result.childText("NextContinuationToken");
        if (next == null || next.isEmpty()) {
            throw new IOException("listing is truncated but has no continuation token");
        }
        return new ListPage(objects, prefixes, next);
    }

    /**
     * ListAllMyBucketsResult. S3 pages it only when asked to (max-buckets), but a server that pages anyway
     * says so with a ContinuationToken.
     */
    static BucketsPage parseBuckets(byte[] body) throws IOException {
        Element result = readResult(body);
        List<BucketSummary> buckets = new ArrayList<>();
        Element holder = result.child("Buckets");
        if (holder != null) {
            for (Element b : holder.children("Bucket")) {
                String name = b.childText("Name");
                if (name != null && !name.isBlank()) {
                    buckets.add(new BucketSummary(name, parseInstant(b.childText("CreationDate"))));
                }
            }
        }
        String token = result.childText("ContinuationToken");
        return new BucketsPage(buckets, token == null || token.isEmpty() ? null : token);
    }

    /** The CompleteMultipartUpload request body: every part with its quoted ETag, in the order given. */
    static String completeBody(List<UploadedPart> parts) {
        StringBuilder xml = new StringBuilder(64 + parts.size() * 96)
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (UploadedPart p : parts) {
            xml.append("<Part><PartNumber>").append(p.number()).append("</PartNumber><ETag>")
                    .append(escape(Etags.quoted(p.etag()))).append("</ETag></Part>");
        }
        return xml.append("</CompleteMultipartUpload>").toString();
    }

    /** Quotes stay raw, as in S3's own examples. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Reads a small namespaced document, so that the JDK's XML reader classes are loaded before they are needed. */
    static void warmUp() {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Error xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Code>Warm</Code><Message>&quot;up&quot;</Message></Error>";
        parseError(doc.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isUrlEncoded(Element result) {
        String encoding = result.childText("EncodingType");
        return encoding != null && encoding.strip().equalsIgnoreCase("url");
    }

    private static String decode(String s, boolean urlEncoded) {
        return urlEncoded ? URLDecoder.decode(s, StandardCharsets.UTF_8) : s;
    }

    private static Instant parseInstant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s.strip());
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * An element as read: its local name, its text (a leaf's; "" for an element with children) and its
     * child elements in document order.
     */
    record Element(String name, String text, List<Element> children) {

        /** The first direct child called {@code name}, or null. */
        Element child(String name) {
            for (Element c : children) {
                if (c.name.equals(name)) {
                    return c;
                }
            }
            return null;
        }

        /** Every direct child called {@code name}. */
        List<Element> children(String name) {
            List<Element> named = new ArrayList<>();
            for (Element c : children) {
                if (c.name.equals(name)) {
                    named.add(c);
                }
            }
            return named;
        }

        /** The text of the first direct child called {@code name} exactly as sent, or null when there is none. */
        String childText(String name) {
            Element c = child(name);
            return c == null ? null : c.text;
        }

        /** A numeric child; {@code absent} when it is missing or empty. */
        long childLong(String name, long absent) throws IOException {
            String t = childText(name);
            if (t == null || t.isBlank()) {
                return absent;
            }
            try {
                return Long.parseLong(t.strip());
            } catch (NumberFormatException e) {
                throw new IOException(this.name + "/" + name + " is not a number: '" + shorten(t) + "'");
            }
        }

        Integer childInt(String name, Integer absent) throws IOException {
            String t = childText(name);
            if (t == null || t.isBlank()) {
                return absent;
            }
            try {
                return Integer.parseInt(t.strip());
            } catch (NumberFormatException e) {
                throw new IOException(this.name + "/" + name + " is not a number: '" + shorten(t) + "'");
            }
        }

        /** A true/false child; false when it is missing or empty. */
        boolean childFlag(String name) throws IOException {
            String t = childText(name);
            String v = t == null ? "" : t.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true" -> true;
                case "false", "" -> false;
                default -> throw new IOException(this.name + "/" + name + " is neither true nor false: '"
                        + shorten(t) + "'");
            };
        }
    }

    /** An element still being read. */
    private static final class Open {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Open(String name) {
            this.name = name;
        }

        Element close() {
            return children.isEmpty() ? new Element(name, text.toString(), List.of())
                    : new Element(name, "", List.copyOf(children));
        }
    }

    /** Reads a result document; an error document in its place is reported as such. */
    private static Element readResult(byte[] body) throws IOException {
        Element root = read(body);
        if (root.name().equals("Error")) {
            Error e = toError(root);
            throw new IOException("the server answered with an error document"
                    + (e == null ? "" : ": " + e.code() + (e.message() == null ? "" : ": " + e.message())));
        }
        return root;
    }

    private static Element readOrNull(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return read(body);
        } catch (IOException | RuntimeException notXml) {
            return null;
        }
    }

    /**
     * Reads the document's root element. The reader is the JDK's own ({@code newDefaultFactory}, so no other
     * StAX implementation on the class path is picked up), without DTDs or external entities: a DOCTYPE is
     * skipped and any entity it declares is an error rather than a file read or an expansion bomb.
     */
    static Element read(byte[] body) throws IOException {
        XMLStreamReader r;
        try {
            r = newFactory().createXMLStreamReader(new ByteArrayInputStream(trimLeading(body)));
        } catch (XMLStreamException e) {
            throw notXml(e);
        }
        try {
            return readRoot(r);
        } catch (XMLStreamException e) {
            throw notXml(e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing is held beyond the byte array
            }
        }
    }

    private static Element readRoot(XMLStreamReader r) throws XMLStreamException, IOException {
        Deque<Open> open = new ArrayDeque<>();
        int skipped = 0; // how deep inside an element below MAX_DEPTH the reader is
        while (r.hasNext()) {
            switch (r.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (skipped > 0 || open.size() == MAX_DEPTH) {
                        skipped++;
                    } else {
                        open.push(new Open(r.getLocalName()));
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (skipped == 0 && !open.isEmpty()) {
                        open.peek().text.append(r.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (skipped > 0) {
                        skipped--;
                        continue;
                    }
                    Element done = open.pop().close();
                    if (open.isEmpty()) {
                        return done; // whatever follows the root is not read
                    }
                    open.peek().children.add(done);
                }
                default -> {
                    // comments, processing instructions, the DOCTYPE: nothing Ferry reads
                }
            }
        }
        throw new IOException("the answer holds no XML element");
    }

    private static XMLInputFactory newFactory() {
        // a factory per document: the JDK does not promise that one is thread-safe, and one is cheap
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /**
     * S3 keeps a slow CompleteMultipartUpload alive by sending whitespace before the document; an XML
     * parser refuses anything before the declaration, so it is dropped first.
     */
    private static byte[] trimLeading(byte[] body) {
        int i = 0;
        while (i < body.length && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        return i == 0 ? body : Arrays.copyOfRange(body, i, body.length);
    }

    /** The reader's message without its "ParseError at [row,col]" preamble, which the location replaces. */
    private static IOException notXml(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("Message: ");
        if (at >= 0) {
            message = message.substring(at + "Message: ".length());
        }
        Location where = e.getLocation();
        String place = where == null ? "" : " at line " + where.getLineNumber() + ", column " + where.getColumnNumber();
        return new IOException("the answer is not well-formed XML" + place + ": " + message.strip(), e);
    }

    private static String shorten(String text) {
        String t = text.strip();
        return t.length() <= 40 ? t : t.substring(0, 40) + "...";
    }
}
