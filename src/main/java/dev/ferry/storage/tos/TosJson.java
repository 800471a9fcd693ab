package dev.ferry.storage.tos;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.BucketsPage;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.MultipartPages;
import dev.ferry.storage.ObjectSummary;

/**
 * The JSON documents TOS answers with, read as trees: fields are taken by name, anything unknown is
 * ignored, and a missing required field is an {@link IOException} naming it.
 */
final class TosJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TosJson() {
    }

    /** A TOS error document; {@code code} is never blank. */
    record Error(String code, String message, String requestId, String hostId, String ec) {
    }

    // ---------------------------------------------------------------- errors

    /**
     * Reads an error document: {@code {"Code", "Message", "RequestId", "HostId", "EC"}}, also when wrapped in
     * {@code {"Error": {...}}}. Null when the body is not one.
     */
    static Error parseError(byte[] body) {
        JsonNode root = readOrNull(body);
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode e = root.path("Error").isObject() ? root.get("Error") : root;
        String code = text(e, "Code");
        if (code == null || code.isBlank()) {
            return null;
        }
        return new Error(code.strip(), text(e, "Message"), text(e, "RequestId"), text(e, "HostId"), text(e, "EC"));
    }

    /**
     * An error document sent with a 2xx status in place of a result, or null. Results never carry a
     * top-level {@code Code}, so one with a code beside a message or an EC is taken for an error.
     */
    static Error parseEmbeddedError(byte[] body) {
        JsonNode root = readOrNull(body);
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode e = root.path("Error").isObject() ? root.get("Error") : root;
        boolean looksLikeError = e.path("Code").isTextual() && (e.has("Message") || e.has("EC"));
        return looksLikeError ? parseError(body) : null;
    }

    // ---------------------------------------------------------------- results

    static ListPage parseList(byte[] body) throws IOException {
        JsonNode root = read(body);
        List<ObjectSummary> objects = new ArrayList<>();
        for (JsonNode c : array(root, "Contents")) {
            long size = c.path("Size").asLong(-1);
            if (size < 0) {
                throw new IOException("an entry has no valid Size");
            }
            objects.add(new ObjectSummary(required(c, "Key"), size, text(c, "ETag"), instant(text(c, "LastModified"))));
        }
        List<String> prefixes = new ArrayList<>();
        for (JsonNode p : array(root, "CommonPrefixes")) {
            prefixes.add(required(p, "Prefix"));
        }
        String next = null;
        if (root.path("IsTruncated").asBoolean(false)) {
            next = text(root, "NextContinuationToken");
            if (next == null || next.isEmpty()) {
                throw new IOException("the listing is truncated but gives no NextContinuationToken");
            }
        }
        return new ListPage(objects, prefixes, next);
    }

    static BucketsPage parseBuckets(byte[] body) throws IOException {
        JsonNode root = read(body);
        List<BucketSummary> buckets = new ArrayList<>();
        for (JsonNode b : array(root, "Buckets")) {
            buckets.add(new BucketSummary(required(b, "Name"), instant(text(b, "CreationDate"))));
        }
        String next = root.path("IsTruncated").asBoolean(false) ? text(root, "NextContinuationToken") : null;
        return new BucketsPage(buckets, next == null || next.isEmpty() ? null : next);
    }

    static String parseUploadId(byte[] body) throws IOException {
        return required(read(body), "UploadId");
    }

    static String parseEtag(byte[] body) throws IOException {
        return required(read(body), "ETag");
    }

    /** The {@code HashCrc64ecma} of a result, as a decimal string, or null. */
    static String parseCrc64(byte[] body) {
        JsonNode root = readOrNull(body);
        JsonNode crc = root == null ? null : root.get("HashCrc64ecma");
        return crc == null || crc.isNull() ? null : crc.asText();
    }

    static MultipartPages.Parts parseParts(byte[] body) throws IOException {
        JsonNode root = read(body);
        List<UploadedPart> parts = new ArrayList<>();
        for (JsonNode p : array(root, "Parts")) {
            int number = p.path("PartNumber").asInt(0);
            if (number < 1) {
                throw new IOException("a part has no valid PartNumber");
            }
            parts.add(new UploadedPart(number, required(p, "ETag"), p.path("Size").asLong(-1)));
        }
        Integer next = null;
        if (root.path("IsTruncated").asBoolean(false)) {
            int marker = root.path("NextPartNumberMarker").asInt(0);
            if (marker < 1) {
                throw new IOException("the part listing is truncated but gives no NextPartNumberMarker");
            }
            next = marker;
        }
        return new MultipartPages.Parts(parts, next);
    }

    static MultipartPages.Uploads parseUploads(byte[] body) throws IOException {
        JsonNode root = read(body);
        List<MultipartUpload> uploads = new ArrayList<>();
        for (JsonNode u : array(root, "Uploads")) {
            uploads.add(new MultipartUpload(required(u, "Key"), required(u, "UploadId"),
                    instant(text(u, "Initiated"))));
        }
        if (!root.path("IsTruncated").asBoolean(false)) {
            return new MultipartPages.Uploads(uploads, null, null);
        }
        String keyMarker = text(root, "NextKeyMarker");
        if (keyMarker == null || keyMarker.isEmpty()) {
            throw new IOException("the upload listing is truncated but gives no NextKeyMarker");
        }
        String idMarker = text(root, "NextUploadIdMarker");
        return new MultipartPages.Uploads(uploads, keyMarker, idMarker == null || idMarker.isEmpty() ? null : idMarker);
    }

    /** {@code {"Parts":[{"PartNumber":1,"ETag":"\"…\""}, …]}}, parts in the order given. */
    static byte[] completeBody(List<UploadedPart> parts) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode list = root.putArray("Parts");
        for (UploadedPart p : parts) {
            list.addObject().put("PartNumber", p.number()).put("ETag", Etags.quoted(p.etag()));
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode read(byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            throw new IOException("the answer is empty");
        }
        JsonNode root = MAPPER.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IOException("the answer is not a JSON object");
        }
        return root;
    }

    private static JsonNode readOrNull(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) throws IOException {
        JsonNode a = root.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IOException(field + " is not a list");
        }
        return a;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String required(JsonNode node, String field) throws IOException {
        String v = text(node, field);
        if (v == null) {
            throw new IOException("the answer has no " + field);
        }
        return v;
    }

    /** ISO-8601 as TOS writes it, or an HTTP date; null when absent or unreadable. */
    static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.strip());
        } catch (DateTimeParseException notIso) {
            try {
                return ZonedDateTime.parse(s.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
