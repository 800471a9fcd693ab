package dev.ferry.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;

import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectSummary;

/** The S3 XML documents Ferry reads. */
final class S3Xml {
    private static final XmlMapper XML = XmlMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private S3Xml() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Error {
        @JsonProperty("Code")
        public String code;
        @JsonProperty("Message")
        public String message;
        @JsonProperty("RequestId")
        public String requestId;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ListBucketResult {
        @JsonProperty("Contents")
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<Contents> contents;
        @JsonProperty("CommonPrefixes")
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<CommonPrefix> commonPrefixes;
        @JsonProperty("IsTruncated")
        public boolean isTruncated;
        @JsonProperty("NextContinuationToken")
        public String nextContinuationToken;
        @JsonProperty("EncodingType")
        public String encodingType;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Contents {
        @JsonProperty("Key")
        public String key;
        @JsonProperty("Size")
        public long size;
        @JsonProperty("ETag")
        public String etag;
        @JsonProperty("LastModified")
        public String lastModified;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class CommonPrefix {
        @JsonProperty("Prefix")
        public String prefix;
    }

    /** InitiateMultipartUploadResult. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Initiated {
        @JsonProperty("UploadId")
        public String uploadId;
    }

    /** CopyObjectResult, CopyPartResult and CompleteMultipartUploadResult: all Ferry needs is the ETag. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Tagged {
        @JsonProperty("ETag")
        public String etag;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ListPartsResult {
        @JsonProperty("Part")
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<Part> parts;
        @JsonProperty("IsTruncated")
        public boolean isTruncated;
        @JsonProperty("NextPartNumberMarker")
        public Integer nextPartNumberMarker;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Part {
        @JsonProperty("PartNumber")
        public int partNumber;
        @JsonProperty("ETag")
        public String etag;
        @JsonProperty("Size")
        public long size;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ListUploadsResult {
        @JsonProperty("Upload")
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<Upload> uploads;
        @JsonProperty("IsTruncated")
        public boolean isTruncated;
        @JsonProperty("NextKeyMarker")
        public String nextKeyMarker;
        @JsonProperty("NextUploadIdMarker")
        public String nextUploadIdMarker;
        @JsonProperty("EncodingType")
        public String encodingType;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Upload {
        @JsonProperty("Key")
        public String key;
        @JsonProperty("UploadId")
        public String uploadId;
    }

    /** One page of ListParts; {@code nextMarker} is null on the last page. */
    record PartsPage(List<UploadedPart> parts, Integer nextMarker) {
    }

    /** One page of ListMultipartUploads; the markers are null on the last page. */
    record UploadsPage(List<MultipartUpload> uploads, String nextKeyMarker, String nextUploadIdMarker) {
    }

    /**
     * The error document a 2xx answer may carry instead of its result (S3 does this for copies and
     * CompleteMultipartUpload, which fail after the 200 status line is sent); null for anything else.
     * Only the root element decides: a result that merely contains a {@code Code} element is no error.
     */
    static Error parseEmbeddedError(byte[] body) {
        byte[] doc = trimLeading(body);
        return "Error".equals(rootElement(doc)) ? parseError(doc) : null;
    }

    private static String rootElement(byte[] doc) {
        try {
            XMLStreamReader r = XML.getFactory().getXMLInputFactory()
                    .createXMLStreamReader(new ByteArrayInputStream(doc));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        return r.getLocalName();
                    }
                }
                return null;
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException notXml) {
            return null;
        }
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

    static String parseUploadId(byte[] body) throws IOException {
        String id = XML.readValue(trimLeading(body), Initiated.class).uploadId;
        if (id == null || id.isBlank()) {
            throw new IOException("the answer has no UploadId");
        }
        return id;
    }

    /** The ETag of a copy or completion result, exactly as sent (with its quotes). */
    static String parseEtag(byte[] body) throws IOException {
        String etag = XML.readValue(trimLeading(body), Tagged.class).etag;
        if (etag == null || etag.isBlank()) {
            throw new IOException("the answer has no ETag");
        }
        return etag;
    }

    static PartsPage parseParts(byte[] body) throws IOException {
        ListPartsResult r = XML.readValue(trimLeading(body), ListPartsResult.class);
        List<UploadedPart> parts = new ArrayList<>();
        if (r.parts != null) {
            for (Part p : r.parts) {
                parts.add(new UploadedPart(p.partNumber, p.etag, p.size));
            }
        }
        if (!r.isTruncated) {
            return new PartsPage(parts, null);
        }
        // S3 always names the next marker; the last part listed is the same thing if a server forgets it
        Integer next = r.nextPartNumberMarker != null ? r.nextPartNumberMarker
                : parts.isEmpty() ? null : parts.get(parts.size() - 1).number();
        if (next == null) {
            throw new IOException("the part listing is truncated but says where to go on");
        }
        return new PartsPage(parts, next);
    }

    static UploadsPage parseUploads(byte[] body) throws IOException {
        ListUploadsResult r = XML.readValue(trimLeading(body), ListUploadsResult.class);
        boolean urlEncoded = "url".equalsIgnoreCase(r.encodingType);
        List<MultipartUpload> uploads = new ArrayList<>();
        if (r.uploads != null) {
            for (Upload u : r.uploads) {
                if (u.key != null && u.uploadId != null) {
                    uploads.add(new MultipartUpload(decode(u.key, urlEncoded), u.uploadId));
                }
            }
        }
        if (!r.isTruncated) {
            return new UploadsPage(uploads, null, null);
        }
        if (r.nextKeyMarker == null || r.nextKeyMarker.isEmpty()) {
            throw new IOException("the upload listing is truncated but has no NextKeyMarker");
        }
        // NextKeyMarker is URL-encoded like the keys; it goes back as a plain query value
        return new UploadsPage(uploads, decode(r.nextKeyMarker, urlEncoded), r.nextUploadIdMarker);
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

    /** Touches the mapper so that its classes are loaded and its serializers built. */
    static void warmUp() {
        parseError("<Error><Code>Warm</Code></Error>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses an error document; null when the body is not one. */
    static Error parseError(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            Error e = XML.readValue(body, Error.class);
            return e != null && e.code != null ? e : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static ListPage parseList(byte[] body) throws IOException {
        ListBucketResult r = XML.readValue(body, ListBucketResult.class);
        boolean urlEncoded = "url".equalsIgnoreCase(r.encodingType);
        List<ObjectSummary> objects = new ArrayList<>();
        if (r.contents != null) {
            for (Contents c : r.contents) {
                if (c.key == null) {
                    continue;
                }
                objects.add(new ObjectSummary(decode(c.key, urlEncoded), c.size, c.etag, parseInstant(c.lastModified)));
            }
        }
        List<String> prefixes = new ArrayList<>();
        if (r.commonPrefixes != null) {
            for (CommonPrefix p : r.commonPrefixes) {
                if (p.prefix != null) {
                    prefixes.add(decode(p.prefix, urlEncoded));
                }
            }
        }
        String next = r.isTruncated && r.nextContinuationToken != null && !r.nextContinuationToken.isEmpty()
                ? r.nextContinuationToken : null;
        if (r.isTruncated && next == null) {
            throw new IOException("listing is truncated but has no continuation token");
        }
        return new ListPage(objects, prefixes, next);
    }

    private static String decode(String s, boolean urlEncoded) {
        return urlEncoded ? URLDecoder.decode(s, StandardCharsets.UTF_8) : s;
    }

    private static Instant parseInstant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
