package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;

/** S3Store's server-side copy operations against a real s3proxy. */
class S3CopyS3IT {
    private static final int MIB = 1 << 20;
    /** Three parts: two of 5 MiB, the smallest s3proxy accepts but for the last, and a short odd tail. */
    private static final long[][] RANGES = {{0, 5L * MIB - 1}, {5L * MIB, 10L * MIB - 1}, {10L * MIB, 12L * MIB + 1232}};
    private static final byte[] SOURCE = TestData.bytes(12 * MIB + 1233, 7);
    private static final Map<String, String> METADATA = Map.of(
            "content-type", "text/x-ferry; charset=utf-8",
            "cache-control", "max-age=60",
            "content-disposition", "attachment; filename=\"quelle.bin\"",
            "x-amz-meta-owner", "ferry",
            "x-amz-meta-note", "two words");

    private static S3ProxyServer s3;
    private static String bucket;
    private static ObjectRef source;
    private static String sourceEtag;

    private final CancelSignal never = new CancelSignal();
    /** UploadPartCopy requests this test's store sent, retries included. */
    private final AtomicInteger partCopies = new AtomicInteger();
    private final S3Store store = countingStore();

    @BeforeAll
    static void putSource() {
        s3 = S3ProxyServer.get();
        bucket = s3.newBucket();
        source = ObjectRef.of(bucket, "src/quelle ä+b c.bin");
        sourceEtag = s3.put(bucket, source.key(), SOURCE);
    }

    private S3Store countingStore() {
        S3ProxyServer server = S3ProxyServer.get();
        OkHttpClient http = HttpClients.create(4).newBuilder().addInterceptor(chain -> {
            if (chain.request().header("x-amz-copy-source-range") != null) {
                partCopies.incrementAndGet();
            }
            return chain.proceed(chain.request());
        }).build();
        return new S3Store(new S3Config(server.endpoint(), "us-east-1", server.credentials(), true), http,
                RetryPolicy.fast(3));
    }

    @Test
    void multipartCopyIsByteExactAndCarriesMetadata() throws Exception {
        ObjectRef dest = ObjectRef.of(s3.newBucket(), "ziel/kopie ü 1.bin");
        String uploadId = store.createMultipartUpload(dest, METADATA, never);
        List<MultipartUpload> open = store.listMultipartUploads(dest.bucket(), "ziel/", never);
        assertThat(open).extracting(MultipartUpload::key, MultipartUpload::uploadId)
                .containsExactly(tuple(dest.key(), uploadId));
        assertThat(open.get(0).initiated()).as("when the server started it").isNotNull()
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));

        List<UploadedPart> copied = new ArrayList<>();
        for (int i = 0; i < RANGES.length; i++) {
            String etag = store.uploadPartCopy(dest, uploadId, i + 1, source, RANGES[i][0], RANGES[i][1], sourceEtag,
                    never);
            copied.add(new UploadedPart(i + 1, etag, RANGES[i][1] - RANGES[i][0] + 1));
        }
        assertThat(store.listParts(dest, uploadId, never)).containsExactlyElementsOf(copied);

        String etag = store.completeMultipartUpload(dest, uploadId, copied, never);

        ObjectInfo info = store.head(dest, never);
        assertThat(info.etag()).isEqualTo(etag);
        assertThat(info.size()).isEqualTo(SOURCE.length);
        assertThat(info.metadata()).containsAllEntriesOf(METADATA);
        assertThat(TestData.sha256(read(dest, SOURCE.length))).isEqualTo(TestData.sha256(SOURCE));
        assertThat(store.listMultipartUploads(dest.bucket(), "", never)).isEmpty();
    }

    @Test
    void copyObjectCarriesMetadataAndContent() throws Exception {
        byte[] small = TestData.bytes(70_000, 11);
        ObjectRef from = ObjectRef.of(bucket, "small/klein ö.bin");
        String fromEtag = store.putObject(from, RequestBody.create(small, MediaType.get("application/x-klein")),
                Map.of("x-amz-meta-owner", "ferry", "cache-control", "no-cache"), never);
        ObjectRef dest = ObjectRef.of(s3.newBucket(), "copies/klein ö.bin");

        String etag = store.copyObject(from, dest, fromEtag, never);

        ObjectInfo info = store.head(dest, never);
        assertThat(info.bareEtag()).isEqualTo(Etags.bare(etag));
        assertThat(info.contentType()).isEqualTo("application/x-klein");
        assertThat(info.metadata()).containsEntry("x-amz-meta-owner", "ferry").containsEntry("cache-control", "no-cache");
        assertThat(read(dest, small.length)).isEqualTo(small);
    }

    @Test
    void aChangedSourceFailsThePartCopyWith412AndNoRetry() throws Exception {
        ObjectRef changing = ObjectRef.of(bucket, "changing/obj.bin");
        String before = s3.put(bucket, changing.key(), TestData.bytes(4096, 1));
        s3.put(bucket, changing.key(), TestData.bytes(4096, 2));
        ObjectRef dest = ObjectRef.of(bucket, "dest/changed.bin");
        String uploadId = store.createMultipartUpload(dest, Map.of(), never);
        try {
            StoreException e = catchThrowableOfType(StoreException.class,
                    () -> store.uploadPartCopy(dest, uploadId, 1, changing, 0, 4095, before, never));

            assertThat(e.isPreconditionFailed()).isTrue();
            assertThat(e.code()).isEqualTo("PreconditionFailed");
            assertThat(e.isRetryable()).isFalse();
            assertThat(partCopies.get()).isEqualTo(1);
        } finally {
            store.abortMultipartUpload(dest, uploadId, never);
        }
        StoreException whole = catchThrowableOfType(StoreException.class,
                () -> store.copyObject(changing, ObjectRef.of(bucket, "dest/whole.bin"), before, never));
        assertThat(whole.isPreconditionFailed()).isTrue();
    }

    @Test
    void abortLeavesNoUploadAndCompletingItThenFails() throws Exception {
        ObjectRef dest = ObjectRef.of(s3.newBucket(), "aborted/x.bin");
        String uploadId = store.createMultipartUpload(dest, Map.of("x-amz-meta-a", "1"), never);
        String etag = store.uploadPartCopy(dest, uploadId, 1, source, 0, 1023, sourceEtag, never);
        assertThat(store.listMultipartUploads(dest.bucket(), null, never)).hasSize(1);

        store.abortMultipartUpload(dest, uploadId, never);

        assertThat(store.listMultipartUploads(dest.bucket(), null, never)).isEmpty();
        store.abortMultipartUpload(dest, uploadId, never); // already gone: still fine
        StoreException e = catchThrowableOfType(StoreException.class, () -> store.completeMultipartUpload(dest,
                uploadId, List.of(new UploadedPart(1, etag, 1024)), never));
        assertThat(e.code()).isIn("NoSuchUpload", "InvalidPart");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void listPartsOfAnUnknownUploadIsEmptyOrNoSuchUpload() throws Exception {
        ObjectRef dest = ObjectRef.of(bucket, "unknown/upload.bin");
        try {
            // s3proxy answers 200 with no parts; S3 answers NoSuchUpload
            assertThat(store.listParts(dest, "no-such-upload-id", never)).isEmpty();
        } catch (StoreException e) {
            assertThat(e.code()).isEqualTo("NoSuchUpload");
        }
    }

    @Test
    void missingSourceAndMissingBucketFailWithTheirCodes() throws Exception {
        ObjectRef missing = ObjectRef.of(bucket, "no/such key.bin");
        ObjectRef dest = ObjectRef.of(bucket, "dest/missing.bin");
        String uploadId = store.createMultipartUpload(dest, Map.of(), never);
        try {
            StoreException part = catchThrowableOfType(StoreException.class,
                    () -> store.uploadPartCopy(dest, uploadId, 1, missing, 0, 9, null, never));
            assertThat(part.isNotFound()).isTrue();
            assertThat(part.code()).isEqualTo("NoSuchKey");
        } finally {
            store.abortMultipartUpload(dest, uploadId, never);
        }
        StoreException whole = catchThrowableOfType(StoreException.class,
                () -> store.copyObject(missing, dest, null, never));
        assertThat(whole.code()).isEqualTo("NoSuchKey");

        ObjectRef nowhere = ObjectRef.of("no-such-bucket-" + System.nanoTime(), "x.bin");
        StoreException toBucket = catchThrowableOfType(StoreException.class,
                () -> store.copyObject(source, nowhere, sourceEtag, never));
        assertThat(toBucket.code()).isEqualTo("NoSuchBucket");
        StoreException create = catchThrowableOfType(StoreException.class,
                () -> store.createMultipartUpload(nowhere, Map.of(), never));
        assertThat(create.code()).isEqualTo("NoSuchBucket");
    }

    private byte[] read(ObjectRef ref, int size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(size);
        try (RangeBody body = store.getRange(ref, 0, size - 1, null, never)) {
            while (buf.hasRemaining() && body.channel().read(buf) >= 0) {
                // fill
            }
        }
        assertThat(buf.hasRemaining()).as("whole object read").isFalse();
        return buf.array();
    }
}
