package dev.ferry.storage.tos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.CompletedUpload;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Crc64;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.Signing;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.testing.TosTestServer.Recorded;
import dev.ferry.testing.tos.StoredObject;
import dev.ferry.transfer.Copy;
import dev.ferry.transfer.CopyRequest;
import dev.ferry.transfer.CopyResult;
import dev.ferry.transfer.Download;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.DownloadResult;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.limit.RateLimiter;
import okhttp3.Request;
import okhttp3.Response;

/** TosStore against the in-process TOS test server: the protocol end to end, errors, retries, and the engine. */
class TosStoreIT {
    private static final int MIB = 1 << 20;
    private static final String BUCKET = "ferry-src";
    private static final Map<String, String> METADATA = Map.of(
            "content-type", "text/x-ferry; charset=utf-8",
            "cache-control", "max-age=60",
            "content-disposition", "attachment; filename=\"quelle.bin\"",
            "x-tos-meta-owner", "ferry",
            "x-tos-meta-note", "two words");

    private final CancelSignal never = new CancelSignal();
    private TosTestServer server;
    private TosStore store;

    @BeforeEach
    void start() {
        server = new TosTestServer();
        server.createBucket(BUCKET);
        store = server.store(RetryPolicy.fast(4));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] read(RangeBody body) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) body.length());
        while (buf.hasRemaining()) {
            if (body.channel().read(buf) < 0) {
                throw new IOException("body ended after " + buf.position() + " of " + body.length() + " bytes");
            }
        }
        return buf.array();
    }

    private static String crcOf(byte[] content) {
        return Crc64.format(Crc64.of(content));
    }

    // ------------------------------------------------------------------ HEAD and GET

    @Test
    void headGivesSizeEtagCrcVersionAndMetadata() throws Exception {
        server.versioning(BUCKET, true);
        byte[] content = TestData.bytes(100_003, 1);
        StoredObject stored = server.putObject(BUCKET, "dir/obj ä+b.bin", content, METADATA);

        ObjectInfo info = store.head(ObjectRef.of(BUCKET, "dir/obj ä+b.bin"), never);

        assertThat(info.size()).isEqualTo(100_003);
        assertThat(info.etag()).isEqualTo(stored.etag()).startsWith("\"");
        assertThat(info.etagIsMd5()).isTrue();
        assertThat(info.checksums()).containsExactly(Map.entry(Crc64.HEADER, crcOf(content)));
        assertThat(Crc64.from(info.checksums())).hasValue(Crc64.of(content));
        assertThat(info.versionId()).isEqualTo(stored.versionId()).isNotNull();
        assertThat(info.lastModified()).isEqualTo(TosTestServer.lastModified(stored));
        assertThat(info.contentType()).isEqualTo("text/x-ferry; charset=utf-8");
        assertThat(info.metadata()).containsAllEntriesOf(METADATA).hasSize(METADATA.size());
    }

    @Test
    void missingKeyIsNoSuchKeyWithEcAndRequestId() {
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store.head(ObjectRef.of(BUCKET, "nope"), never));

        // HEAD has no body; the diagnostic GET that follows names the error
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.code()).isEqualTo("NoSuchKey");
        assertThat(e.isNotFound()).isTrue();
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.requestId()).startsWith("tos-test-");
        assertThat(e.getMessage()).contains("HeadObject", "NoSuchKey", "The specified key does not exist.",
                "[EC 0017-00000201]", "HTTP 404", "request id tos-test-");
    }

    @Test
    void missingBucketIsNoSuchBucket() {
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store.getRange(ObjectRef.of("no-such-bucket", "k"), 0, 0, null, never));
        assertThat(e.code()).isEqualTo("NoSuchBucket");
        assertThat(e.getMessage()).contains("[EC 0006-00000001]");
    }

    @Test
    void rangedGetsAreByteExactAndCarryEtagAndSize() throws Exception {
        byte[] content = TestData.bytes(1 << 20, 2);
        StoredObject stored = server.putObject(BUCKET, "r.bin", content);
        ObjectRef ref = ObjectRef.of(BUCKET, "r.bin");

        try (RangeBody body = store.getRange(ref, 1000, 299_999, stored.etag(), never)) {
            assertThat(body.start()).isEqualTo(1000);
            assertThat(body.length()).isEqualTo(299_000);
            assertThat(read(body)).isEqualTo(Arrays.copyOfRange(content, 1000, 300_000));
            assertThat(body.etag()).isEqualTo(stored.etag());
            assertThat(body.objectSize()).isEqualTo(content.length);
        }
        try (RangeBody last = store.getRange(ref, content.length - 1, content.length - 1, null, never)) {
            assertThat(read(last)).containsExactly(content[content.length - 1]);
        }
        Recorded get = server.requests().stream().filter(r -> r.call().isObjectGet()).findFirst().orElseThrow();
        assertThat(get.header("range")).isEqualTo("bytes=1000-299999");
        assertThat(get.header("if-match")).isEqualTo(stored.etag());
    }

    @Test
    void aChangedObjectFailsIfMatchWith412() {
        server.putObject(BUCKET, "r.bin", TestData.bytes(1000, 3));
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store.getRange(ObjectRef.of(BUCKET, "r.bin"), 0, 9, "\"0123456789abcdef0123456789abcdef\"",
                        never));
        assertThat(e.isPreconditionFailed()).isTrue();
        assertThat(e.code()).isEqualTo("PreconditionFailed");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void parallelRangedGetsOfALargeObject() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 17, 4);
        StoredObject stored = server.putObject(BUCKET, "big.bin", content);
        ObjectRef ref = ObjectRef.of(BUCKET, "big.bin");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> parts = new ArrayList<>();
            long part = 3L * MIB;
            for (long start = 0; start < content.length; start += part) {
                long from = start;
                long to = Math.min(content.length, start + part) - 1;
                parts.add(pool.submit(() -> {
                    try (RangeBody body = store.getRange(ref, from, to, stored.etag(), never)) {
                        return read(body);
                    }
                }));
            }
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Future<byte[]> f : parts) {
                all.write(f.get());
            }
            assertThat(all.toByteArray()).isEqualTo(content);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aVersionIsAddressedByItsId() throws Exception {
        server.versioning(BUCKET, true);
        StoredObject v1 = server.putObject(BUCKET, "v.txt", "first".getBytes());
        server.putObject(BUCKET, "v.txt", "second!".getBytes());
        ObjectRef old = new ObjectRef(BUCKET, "v.txt", v1.versionId());

        assertThat(store.head(old, never).size()).isEqualTo(5);
        try (RangeBody body = store.getRange(old, 0, 4, v1.etag(), never)) {
            assertThat(new String(read(body))).isEqualTo("first");
        }
        assertThat(server.requests().get(0).call().query()).containsEntry("versionId", v1.versionId());
    }

    @Test
    void aBodyCutShortFailsOnRead() throws Exception {
        server.putObject(BUCKET, "cut.bin", TestData.bytes(200_000, 5));
        server.dropNextBodies(1, 10_000);
        try (RangeBody body = store.getRange(ObjectRef.of(BUCKET, "cut.bin"), 0, 199_999, null, never)) {
            assertThatThrownBy(() -> read(body)).isInstanceOf(IOException.class);
        }
    }

    // ------------------------------------------------------------------ listing

    @Test
    void listingPagesThroughKeysAndFoldsFoldersWithADelimiter() throws Exception {
        List<String> keys = List.of("a/1", "a/2", "b/x/1", "b/x/2", "b/y", "c", "d e+f", "z", "中文/g");
        for (String k : keys) {
            server.putObject(BUCKET, k, k.getBytes());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListPage page = store.list(BUCKET, "", null, token, 2, never);
            page.objects().forEach(o -> seen.add(o.key()));
            assertThat(page.prefixes()).isEmpty();
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(keys);
        assertThat(pages).isEqualTo(5);

        List<String> entries = new ArrayList<>();
        token = null;
        do {
            ListPage page = store.list(BUCKET, "", "/", token, 2, never);
            assertThat(page.objects().size() + page.prefixes().size()).isLessThanOrEqualTo(2);
            page.prefixes().forEach(p -> entries.add("P:" + p));
            page.objects().forEach(o -> entries.add(o.key()));
            token = page.nextToken();
        } while (token != null);
        assertThat(entries).containsExactlyInAnyOrder("P:a/", "P:b/", "c", "d e+f", "P:中文/", "z");

        ListPage b = store.list(BUCKET, "b/", "/", null, 100, never);
        assertThat(b.prefixes()).containsExactly("b/x/");
        assertThat(b.objects()).extracting(ObjectSummary::key).containsExactly("b/y");
        ObjectSummary y = b.objects().get(0);
        assertThat(y.size()).isEqualTo(3);
        assertThat(y.etag()).isEqualTo(server.object(BUCKET, "b/y").orElseThrow().etag());
        assertThat(y.lastModified()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(b.truncated()).isFalse();
    }

    @Test
    void listBucketsGivesNamesAndCreationDates() throws Exception {
        server.createBucket("ferry-dst");
        List<BucketSummary> buckets = store.listBuckets(never);
        assertThat(buckets).extracting(BucketSummary::name).containsExactly("ferry-dst", "ferry-src");
        assertThat(buckets).allSatisfy(b -> assertThat(b.created()).isNotNull());
        Recorded r = server.requests().get(0);
        assertThat(r.call().bucket()).isNull();
        assertThat(r.call().wire().rawPath()).isEqualTo("/");
    }

    // ------------------------------------------------------------------ server-side copies

    @Test
    void multipartCopyEndToEndReturnsTheSourceCrc() throws Exception {
        server.minPartSize(5 * MIB);
        byte[] content = TestData.bytes(12 * MIB + 1233, 6);
        server.putObject(BUCKET, "src/quelle ä+b c.bin", content, METADATA);
        server.createBucket("ferry-dst");
        ObjectRef source = ObjectRef.of(BUCKET, "src/quelle ä+b c.bin");
        ObjectRef dest = ObjectRef.of("ferry-dst", "ziel/kopie ü 1.bin");
        ObjectInfo src = store.head(source, never);

        String uploadId = store.createMultipartUpload(dest, src.metadata(), never);
        List<MultipartUpload> open = store.listMultipartUploads("ferry-dst", "ziel/", never);
        assertThat(open).extracting(MultipartUpload::key, MultipartUpload::uploadId)
                .containsExactly(tuple(dest.key(), uploadId));
        assertThat(open.get(0).initiated()).as("when the server started it").isNotNull()
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        long[][] ranges = {{0, 5L * MIB - 1}, {5L * MIB, 10L * MIB - 1}, {10L * MIB, content.length - 1}};
        List<UploadedPart> parts = new ArrayList<>();
        for (int i = 0; i < ranges.length; i++) {
            String etag = store.uploadPartCopy(dest, uploadId, i + 1, source, ranges[i][0], ranges[i][1], src.etag(),
                    never);
            parts.add(new UploadedPart(i + 1, etag, ranges[i][1] - ranges[i][0] + 1));
        }
        assertThat(store.listParts(dest, uploadId, never)).containsExactlyElementsOf(parts);

        Collections.reverse(parts); // sent sorted whatever the order given
        CompletedUpload done = store.completeMultipartUploadWithChecksums(dest, uploadId, parts, never);

        StoredObject written = server.object("ferry-dst", dest.key()).orElseThrow();
        assertThat(written.content()).isEqualTo(content);
        assertThat(done.etag()).isEqualTo(written.etag()).endsWith("-3\"");
        assertThat(done.checksums()).containsEntry(Crc64.HEADER, src.checksums().get(Crc64.HEADER));
        ObjectInfo copy = store.head(dest, never);
        assertThat(copy.checksums()).isEqualTo(src.checksums());
        assertThat(copy.metadata()).isEqualTo(src.metadata());
        assertThat(store.listMultipartUploads("ferry-dst", "", never)).isEmpty();

        Recorded partCopy = server.requests().stream()
                .filter(r -> r.header("x-tos-copy-source-range") != null).findFirst().orElseThrow();
        assertThat(partCopy.header("x-tos-copy-source"))
                .isEqualTo("/ferry-src/src%2Fquelle%20%C3%A4%2Bb%20c.bin");
        assertThat(partCopy.header("x-tos-copy-source-if-match")).isEqualTo(src.etag());
        assertThat(partCopy.header("x-tos-copy-source-range")).isEqualTo("bytes=0-5242879");
        Recorded complete = server.requests().stream().filter(r -> r.call().method().equals("POST")
                && r.call().query().containsKey("uploadId")).findFirst().orElseThrow();
        assertThat(new String(complete.call().wire().body())).startsWith("{\"Parts\":[{\"PartNumber\":1,\"ETag\":\"\\\"");
        assertThat(complete.header("x-tos-content-sha256")).hasSize(64);
        assertThat(complete.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void completeMultipartUploadKeepsItsPlainEtagForm() throws Exception {
        byte[] content = TestData.bytes(3000, 7);
        server.putObject(BUCKET, "s", content);
        server.minPartSize(1);
        ObjectRef dest = ObjectRef.of(BUCKET, "d");
        String id = store.createMultipartUpload(dest, Map.of(), never);
        String e1 = store.uploadPartCopy(dest, id, 1, ObjectRef.of(BUCKET, "s"), 0, 999, null, never);
        String e2 = store.uploadPartCopy(dest, id, 2, ObjectRef.of(BUCKET, "s"), 1000, 2999, null, never);
        String etag = store.completeMultipartUpload(dest, id, List.of(new UploadedPart(1, e1, 1000),
                new UploadedPart(2, e2, 2000)), never);
        assertThat(etag).isEqualTo(server.object(BUCKET, "d").orElseThrow().etag());
        assertThat(server.object(BUCKET, "d").orElseThrow().crc64()).isEqualTo(Crc64.of(content));
    }

    @Test
    void partCopyOfAChangedSourceFailsWith412AndAVersionCanBeCopied() throws Exception {
        server.versioning(BUCKET, true);
        StoredObject v1 = server.putObject(BUCKET, "s", "version one".getBytes());
        server.putObject(BUCKET, "s", "version two, longer".getBytes());
        ObjectRef dest = ObjectRef.of(BUCKET, "d");
        String id = store.createMultipartUpload(dest, Map.of(), never);

        StoreException e = catchThrowableOfType(StoreException.class, () -> store.uploadPartCopy(dest, id, 1,
                ObjectRef.of(BUCKET, "s"), 0, 3, v1.etag(), never));
        assertThat(e.isPreconditionFailed()).isTrue();

        ObjectRef oldVersion = new ObjectRef(BUCKET, "s", v1.versionId());
        String etag = store.uploadPartCopy(dest, id, 1, oldVersion, 0, 10, v1.etag(), never);
        store.completeMultipartUpload(dest, id, List.of(new UploadedPart(1, etag, 11)), never);
        assertThat(new String(server.object(BUCKET, "d").orElseThrow().content())).isEqualTo("version one");
        assertThat(server.headerValues("PUT", "x-tos-copy-source"))
                .contains("/ferry-src/s?versionId=" + Signing.uriEncode(v1.versionId(), true));
    }

    @Test
    void abortRemovesTheUploadAndIsIdempotent() throws Exception {
        server.putObject(BUCKET, "s", TestData.bytes(100, 8));
        ObjectRef dest = ObjectRef.of(BUCKET, "d");
        String id = store.createMultipartUpload(dest, Map.of(), never);
        store.uploadPartCopy(dest, id, 1, ObjectRef.of(BUCKET, "s"), 0, 99, null, never);

        store.abortMultipartUpload(dest, id, never);

        assertThat(store.listMultipartUploads(BUCKET, "", never)).isEmpty();
        assertThat(server.uploads()).isEmpty();
        store.abortMultipartUpload(dest, id, never); // NoSuchUpload counts as aborted
        StoreException e = catchThrowableOfType(StoreException.class, () -> store.listParts(dest, id, never));
        assertThat(e.code()).isEqualTo("NoSuchUpload");
        StoreException c = catchThrowableOfType(StoreException.class, () -> store.completeMultipartUpload(dest, id,
                List.of(new UploadedPart(1, "\"x\"", 100)), never));
        assertThat(c.code()).isEqualTo("NoSuchUpload");
        assertThat(c.getMessage()).contains("[EC 0018-00000001]");
    }

    @Test
    void partsAndUploadsAreFollowedAcrossPages() throws Exception {
        server.maxPageSize(2);
        server.putObject(BUCKET, "s", TestData.bytes(500, 9));
        ObjectRef dest = ObjectRef.of(BUCKET, "d");
        String id = store.createMultipartUpload(dest, Map.of(), never);
        for (int n = 1; n <= 5; n++) {
            store.uploadPartCopy(dest, id, n, ObjectRef.of(BUCKET, "s"), (n - 1) * 100L, n * 100L - 1, null, never);
        }
        assertThat(store.listParts(dest, id, never)).extracting(UploadedPart::number).containsExactly(1, 2, 3, 4, 5);

        Set<String> ids = new HashSet<>(Set.of(id));
        for (int i = 0; i < 3; i++) {
            ids.add(store.createMultipartUpload(dest, Map.of(), never));
            ids.add(store.createMultipartUpload(ObjectRef.of(BUCKET, "e" + i), Map.of(), never));
        }
        List<MultipartUpload> uploads = store.listMultipartUploads(BUCKET, "", never);
        assertThat(uploads).extracting(MultipartUpload::uploadId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(store.listMultipartUploads(BUCKET, "e", never)).hasSize(3);
    }

    @Test
    void completeRefusesAWrongPart() throws Exception {
        server.putObject(BUCKET, "s", TestData.bytes(100, 10));
        ObjectRef dest = ObjectRef.of(BUCKET, "d");
        String id = store.createMultipartUpload(dest, Map.of(), never);
        store.uploadPartCopy(dest, id, 1, ObjectRef.of(BUCKET, "s"), 0, 99, null, never);
        StoreException e = catchThrowableOfType(StoreException.class, () -> store.completeMultipartUpload(dest, id,
                List.of(new UploadedPart(1, "\"0123\"", 100)), never));
        assertThat(e.code()).isEqualTo("InvalidPart");
        assertThat(e.httpStatus()).isEqualTo(400);
    }

    @Test
    void copyObjectCarriesMetadataAndGuardsTheSource() throws Exception {
        byte[] content = TestData.bytes(70_000, 11);
        StoredObject src = server.putObject(BUCKET, "s p.bin", content, METADATA);
        ObjectRef dest = ObjectRef.of(BUCKET, "copies/c.bin");

        String etag = store.copyObject(ObjectRef.of(BUCKET, "s p.bin"), dest, src.etag(), never);

        StoredObject copy = server.object(BUCKET, "copies/c.bin").orElseThrow();
        assertThat(etag).isEqualTo(copy.etag());
        assertThat(copy.content()).isEqualTo(content);
        assertThat(copy.headers()).isEqualTo(src.headers());
        assertThat(store.head(dest, never).checksums()).containsEntry(Crc64.HEADER, crcOf(content));
        assertThat(server.headerValues("PUT", "x-tos-metadata-directive")).containsExactly("COPY");
        assertThat(server.headerValues("PUT", "x-tos-copy-source-if-match")).containsExactly(src.etag());

        StoreException e = catchThrowableOfType(StoreException.class, () -> store.copyObject(
                ObjectRef.of(BUCKET, "s p.bin"), dest, "\"feedfeedfeedfeedfeedfeedfeedfeed\"", never));
        assertThat(e.isPreconditionFailed()).isTrue();
    }

    @Test
    void metadataOtherThanContentHeadersIsRefused() {
        assertThatThrownBy(() -> store.createMultipartUpload(ObjectRef.of(BUCKET, "d"),
                Map.of("x-tos-acl", "public-read"), never)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TosStore.carried(Map.of("X-Amz-Meta-Owner", "me"))).containsExactly(
                Map.entry("x-tos-meta-owner", "me"));
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void aWrongSecretIsSignatureDoesNotMatch() {
        server.putObject(BUCKET, "k", new byte[10]);
        TosStore wrong = server.store(new Credentials(TosTestServer.CREDENTIALS.accessKeyId(), "not-the-secret", null),
                RetryPolicy.fast(4), Clock.systemUTC());

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> wrong.getRange(ObjectRef.of(BUCKET, "k"), 0, 9, null, never));
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("[EC 0003-00000003]").doesNotContain("not-the-secret");
        assertThat(server.requests()).hasSize(1);

        StoreException head = catchThrowableOfType(StoreException.class,
                () -> wrong.head(ObjectRef.of(BUCKET, "k"), never));
        assertThat(head.code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void aClientClockTwentyMinutesOffIsRefused() {
        server.putObject(BUCKET, "k", new byte[10]);
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
        TosStore stale = server.store(TosTestServer.CREDENTIALS, RetryPolicy.fast(4), behind);

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> stale.list(BUCKET, "", null, null, 10, never));
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("RequestTimeTooSkewed");

        Clock slightlyOff = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
        TosStore fine = server.store(TosTestServer.CREDENTIALS, RetryPolicy.fast(4), slightlyOff);
        assertThat(catchThrowableOfType(StoreException.class, () -> fine.list(BUCKET, "", null, null, 10, never)))
                .isNull();
    }

    @Test
    void anUnknownKeyAndStsTokensAreChecked() throws Exception {
        server.putObject(BUCKET, "k", new byte[10]);
        TosStore unknown = server.store(new Credentials("AKLTnobody", "x", null), RetryPolicy.fast(2),
                Clock.systemUTC());
        assertThat(catchThrowableOfType(StoreException.class, () -> unknown.listBuckets(never)).code())
                .isEqualTo("InvalidAccessKeyId");

        Credentials sts = new Credentials("AKLTsts", "sts-secret", "sts-token-1");
        server.addCredentials(sts);
        TosStore withToken = server.store(sts, RetryPolicy.fast(2), Clock.systemUTC());
        assertThat(withToken.head(ObjectRef.of(BUCKET, "k"), never).size()).isEqualTo(10);
        assertThat(server.headerValues("HEAD", "x-tos-security-token")).containsExactly("sts-token-1");

        TosStore wrongToken = server.store(new Credentials("AKLTsts", "sts-secret", "sts-token-0"),
                RetryPolicy.fast(2), Clock.systemUTC());
        assertThat(catchThrowableOfType(StoreException.class, () -> wrongToken.listBuckets(never)).code())
                .isEqualTo("InvalidToken");
    }

    @Test
    void virtualHostedRequestsReachTheBucketByHostName() throws Exception {
        byte[] content = TestData.bytes(5000, 12);
        server.putObject(BUCKET, "v/h.bin", content);
        TosStore vh = server.virtualHostedStore(RetryPolicy.fast(2));
        assertThat(vh.config().region()).isEqualTo("cn-beijing");

        assertThat(vh.head(ObjectRef.of(BUCKET, "v/h.bin"), never).size()).isEqualTo(5000);
        try (RangeBody body = vh.getRange(ObjectRef.of(BUCKET, "v/h.bin"), 10, 19, null, never)) {
            assertThat(read(body)).isEqualTo(Arrays.copyOfRange(content, 10, 20));
        }
        assertThat(vh.listBuckets(never)).extracting(BucketSummary::name).containsExactly(BUCKET);

        List<Recorded> rs = server.requests();
        assertThat(rs.get(0).header("host")).isEqualTo(BUCKET + "." + TosTestServer.VIRTUAL_HOST + ":" + server.port());
        assertThat(rs.get(0).call().wire().rawPath()).isEqualTo("/v/h.bin");
        assertThat(rs.get(2).header("host")).isEqualTo(TosTestServer.VIRTUAL_HOST + ":" + server.port());
    }

    @Test
    void aPresignedGetWorksWithoutCredentialsUntilItExpires() throws Exception {
        byte[] content = "presigned content".getBytes();
        server.putObject(BUCKET, "p/q r.txt", content);
        URI url = store.presignGet(ObjectRef.of(BUCKET, "p/q r.txt"), Duration.ofMinutes(5));
        assertThat(url.getRawQuery()).contains("X-Tos-Algorithm=TOS4-HMAC-SHA256", "X-Tos-Expires=300")
                .matches(".*&X-Tos-Signature=[0-9a-f]{64}");

        okhttp3.OkHttpClient plain = HttpClients.create(1);
        try (Response r = plain.newCall(new Request.Builder().url(url.toURL()).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().bytes()).isEqualTo(content);
        }
        server.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));
        try (Response r = plain.newCall(new Request.Builder().url(url.toURL()).build()).execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-tos-ec")).isNotBlank();
            assertThat(r.body().string()).contains("\"Code\":\"AccessDenied\"", "expired");
        }
    }

    // ------------------------------------------------------------------ retries

    @Test
    void injected503sAreRetriedEachAttemptSignedAndVerified() throws Exception {
        server.putObject(BUCKET, "k", new byte[10]);
        server.failNext(2, 503, "ServiceUnavailable");

        assertThat(store.head(ObjectRef.of(BUCKET, "k"), never).size()).isEqualTo(10);

        List<Recorded> rs = server.requests();
        assertThat(rs).extracting(Recorded::status).containsExactly(503, 503, 200);
        // the server checked each attempt's signature before the injected failure answered it
        assertThat(rs).allSatisfy(r -> assertThat(r.header("authorization")).startsWith("TOS4-HMAC-SHA256 "));
    }

    @Test
    void persistentFailureEndsRetryableWithTheServersWords() {
        server.putObject(BUCKET, "k", new byte[10]);
        server.failNext(10, 503, "ServiceUnavailable");
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store.getRange(ObjectRef.of(BUCKET, "k"), 0, 9, null, never));
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.code()).isEqualTo("ServiceUnavailable");
        assertThat(e.getMessage()).contains("[EC 0019-00000002]");
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void throttlingIsRetriedAfterTheServersRetryAfter() throws Exception {
        server.putObject(BUCKET, "k", new byte[10]);
        server.failNext(1, 429, "TooManyRequests", 1);
        long t0 = System.nanoTime();
        assertThat(store.list(BUCKET, "", null, null, 10, never).objects()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(server.requests()).extracting(Recorded::status).containsExactly(429, 200);
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.failNext(5, 400, "InvalidArgument");
        assertThatThrownBy(() -> store.listBuckets(never)).isInstanceOf(StoreException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void cancelWakesARetryBackOff() throws Exception {
        server.failNext(10, 503, "ServiceUnavailable", 60);
        TosStore patient = server.store(new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(50),
                Duration.ofSeconds(120)));
        CancelSignal cancel = new CancelSignal();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> f = pool.submit(() -> patient.listBuckets(cancel));
            Thread.sleep(300);
            long t0 = System.nanoTime();
            cancel.cancel();
            Throwable thrown = catchThrowableOfType(java.util.concurrent.ExecutionException.class, f::get).getCause();
            assertThat(thrown).isInstanceOf(InterruptedIOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ traffic limit

    @Test
    void theTrafficLimitGoesOnGetsAndPartCopiesOnly() throws Exception {
        byte[] content = TestData.bytes(1 << 20, 13);
        server.putObject(BUCKET, "k", content);
        long oneMibPerSecond = 8L * MIB;
        TosStore limited = store.withTrafficLimit(oneMibPerSecond);
        assertThat(limited.trafficLimit()).isEqualTo(oneMibPerSecond);
        assertThat(store.trafficLimit()).isZero();

        long t0 = System.nanoTime();
        try (RangeBody body = limited.getRange(ObjectRef.of(BUCKET, "k"), 0, content.length - 1, null, never)) {
            assertThat(read(body)).isEqualTo(content);
        }
        // the server paces the body at 1 MiB/s, as TOS would
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        limited.head(ObjectRef.of(BUCKET, "k"), never);
        String id = limited.createMultipartUpload(ObjectRef.of(BUCKET, "d"), Map.of(), never);
        limited.uploadPartCopy(ObjectRef.of(BUCKET, "d"), id, 1, ObjectRef.of(BUCKET, "k"), 0, 9, null, never);

        assertThat(server.requests()).extracting(r -> r.call().method() + " " + r.header("x-tos-traffic-limit"))
                .containsExactly("GET " + oneMibPerSecond, "HEAD null", "POST null", "PUT " + oneMibPerSecond);
        assertThatThrownBy(() -> store.withTrafficLimit(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("245760");
    }

    // ------------------------------------------------------------------ the engine over TOS

    @Nested
    class Engine {
        @TempDir
        Path dir;

        @Test
        void aMultipartDownloadIsByteExactEvenWhenABodyIsCut() throws Exception {
            byte[] content = TestData.bytes(17 * MIB + 1233, 20);
            server.putObject(BUCKET, "dl/big file.bin", content);
            server.dropNextBodies(1, 100_000);
            Path file = dir.resolve("big file.bin");

            DownloadResult r = new Download(store, DownloadRequest.of(ObjectRef.of(BUCKET, "dl/big file.bin"), file)
                    .withPartSize(5L * MIB).withConnections(3), RateLimiter.unlimited(), null).run();

            assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
            assertThat(TestData.sha256(file)).isEqualTo(TestData.sha256(content));
            assertThat(r.info().checksums()).containsEntry(Crc64.HEADER, crcOf(content));
            long gets = server.requests().stream().filter(x -> x.call().isObjectGet()).count();
            assertThat(gets).isGreaterThanOrEqualTo(4); // three parts and the retry of the cut one
            assertThat(server.requests()).allSatisfy(x -> assertThat(x.status()).isLessThan(400));
        }

        @Test
        void aMultipartCopyLeavesTheSourceBytesMetadataAndCrc() throws Exception {
            byte[] content = TestData.bytes(12 * MIB + 77, 21);
            server.putObject(BUCKET, "cp/src.bin", content, METADATA);
            server.createBucket("ferry-dst");
            ObjectRef dest = ObjectRef.of("ferry-dst", "cp/dst.bin");

            CopyResult r = new Copy(store, CopyRequest.of(ObjectRef.of(BUCKET, "cp/src.bin"), dest)
                    .withPartSize(5L * MIB).withConnections(3), null).run();

            assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
            assertThat(r.parts()).isEqualTo(3);
            StoredObject copy = server.object("ferry-dst", "cp/dst.bin").orElseThrow();
            assertThat(copy.content()).isEqualTo(content);
            assertThat(copy.headers()).isEqualTo(METADATA);
            assertThat(copy.crc64()).isEqualTo(Crc64.of(content));
            assertThat(server.uploads()).isEmpty();
        }

        @Test
        void aSmallCopyIsOneCopyObject() throws Exception {
            byte[] content = TestData.bytes(1000, 22);
            server.putObject(BUCKET, "cp/small", content, METADATA);
            ObjectRef dest = ObjectRef.of(BUCKET, "cp/small-copy");

            CopyResult r = new Copy(store, CopyRequest.of(ObjectRef.of(BUCKET, "cp/small"), dest), null).run();

            assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
            assertThat(server.object(BUCKET, "cp/small-copy").orElseThrow().content()).isEqualTo(content);
            assertThat(server.requests()).noneMatch(x -> x.call().query().containsKey("uploads"));
        }

        @Test
        void aDownloadOfAMissingObjectFailsWithTheServersWords() throws Exception {
            DownloadResult r = new Download(store, DownloadRequest.of(ObjectRef.of(BUCKET, "missing"),
                    dir.resolve("m")), RateLimiter.unlimited(), null).run();
            assertThat(r.state()).isEqualTo(TransferState.FAILED);
            assertThat(r.message()).contains("NoSuchKey");
            assertThat(Files.exists(dir.resolve("m"))).isFalse();
        }
    }
}
