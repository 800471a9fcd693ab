package dev.ferry.storage.s3;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;

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
