package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.limit.RateLimiter;

/**
 * A download that knows its object from a listing (size, ETag, time) sends no HEAD, yet still checks the file:
 * against the ETag when it is the content's MD5, and against a HEAD only when the file does not match an ETag that
 * merely looks like one (an object under KMS or a customer key, whose ETag is not its MD5).
 */
class ListedInfoIT {
    private static S3ProxyServer s3;
    private static String bucket;

    @TempDir
    Path dir;
    private S3Store real;

    @BeforeAll
    static void server() {
        s3 = S3ProxyServer.get();
        bucket = s3.newBucket();
    }

    @BeforeEach
    void setUp() {
        real = s3.store();
    }

    @AfterEach
    void tearDown() {
        real.close();
    }

    /** Puts {@code content} under a new key and returns a request to download it as the listing describes it. */
    private DownloadRequest listedRequest(byte[] content, String fileName) throws IOException {
        String key = "listed/" + UUID.randomUUID() + ".bin";
        s3.put(bucket, key, content);
        ListPage page = real.list(bucket, key, null, null, 10, new CancelSignal());
        ObjectSummary summary = page.objects().stream().filter(o -> o.key().equals(key)).findFirst().orElseThrow();
        ObjectRef ref = ObjectRef.of(bucket, key);
        return DownloadRequest.of(ref, dir.resolve(fileName)).withKnownInfo(ObjectInfo.listed(ref, summary));
    }

    private static DownloadResult run(Counting store, DownloadRequest request, RecordingListener events) {
        return new Download(store, request, RateLimiter.unlimited(), events).run();
    }

    @Test
    void aListedObjectIsFetchedWithoutAHeadAndCheckedAgainstItsMd5() throws Exception {
        byte[] content = TestData.bytes(300_000, 11);
        DownloadRequest request = listedRequest(content, "a.bin");
        Counting store = new Counting(real, false, false);
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(store, request, events);

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(Files.readAllBytes(request.destination())).isEqualTo(content);
        assertThat(store.heads).hasValue(0);
        assertThat(events.messages(Type.VERIFIED)).startsWith("MD5 ");
    }

    @Test
    void aFileThatDoesNotMatchAnEtagTheStoreDoesNotVouchForIsKept() throws Exception {
        // the store answers as under KMS: the ETag is not the MD5 of what it serves, and a HEAD says so
        byte[] content = TestData.bytes(100_000, 12);
        DownloadRequest request = listedRequest(content, "kms.bin");
        Counting store = new Counting(real, true, false);

        DownloadResult r = run(store, request, new RecordingListener());

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(store.heads).hasValue(1);
        byte[] got = Files.readAllBytes(request.destination());
        assertThat(got).hasSize(content.length);
        assertThat(got[0]).isEqualTo((byte) ~content[0]);
    }

    @Test
    void aFileThatDoesNotMatchAnMd5EtagFailsAndLeavesNothing() throws Exception {
        byte[] content = TestData.bytes(100_000, 13);
        DownloadRequest request = listedRequest(content, "bad.bin");
        Counting store = new Counting(real, true, true);

        DownloadResult r = run(store, request, new RecordingListener());

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.message()).contains("does not match the object's MD5");
        assertThat(store.heads).hasValue(1);
        assertThat(request.destination()).doesNotExist();
        assertThat(request.tempFile()).doesNotExist();
    }

    /**
     * The real store, counting HEADs. With {@code flipFirstByte} it serves the object with its first byte inverted,
     * as a store whose ETag is not the MD5 of the bytes it serves; {@code vouches} says whether its HEAD still calls
     * the ETag an MD5 (a corrupted answer) or not (KMS).
     */
    private static final class Counting implements ObjectStore {
        private final ObjectStore inner;
        private final boolean flipFirstByte;
        private final boolean vouches;
        final AtomicInteger heads = new AtomicInteger();

        Counting(ObjectStore inner, boolean flipFirstByte, boolean vouches) {
            this.inner = inner;
            this.flipFirstByte = flipFirstByte;
            this.vouches = vouches;
        }

        @Override
        public String endpointId() {
            return inner.endpointId();
        }

        @Override
        public ObjectInfo head(ObjectRef ref, CancelSignal cancel) throws StoreException, InterruptedIOException {
            heads.incrementAndGet();
            ObjectInfo i = inner.head(ref, cancel);
            return new ObjectInfo(i.ref(), i.size(), i.etag(), i.lastModified(), i.versionId(), i.contentType(),
                    i.checksums(), !flipFirstByte || vouches, i.metadata());
        }

        @Override
        public RangeBody getRange(ObjectRef ref, long start, long endInclusive, String ifMatch, CancelSignal cancel)
                throws StoreException, InterruptedIOException {
            RangeBody body = inner.getRange(ref, start, endInclusive, ifMatch, cancel);
            if (!flipFirstByte || start != 0) {
                return body;
            }
            return new RangeBody() {
                private boolean first = true;

                @Override
                public long start() {
                    return body.start();
                }

                @Override
                public long length() {
                    return body.length();
                }

                @Override
                public String etag() {
                    return body.etag();
                }

                @Override
                public long objectSize() {
                    return body.objectSize();
                }

                @Override
                public ReadableByteChannel channel() {
                    ReadableByteChannel in = body.channel();
                    return new ReadableByteChannel() {
                        @Override
                        public int read(ByteBuffer dst) throws IOException {
                            int at = dst.position();
                            int n = in.read(dst);
                            if (n > 0 && first) {
                                dst.put(at, (byte) ~dst.get(at));
                                first = false;
                            }
                            return n;
                        }

                        @Override
                        public boolean isOpen() {
                            return in.isOpen();
                        }

                        @Override
                        public void close() throws IOException {
                            in.close();
                        }
                    };
                }

                @Override
                public void close() {
                    body.close();
                }
            };
        }

        @Override
        public List<BucketSummary> listBuckets(CancelSignal cancel) throws StoreException, InterruptedIOException {
            return inner.listBuckets(cancel);
        }

        @Override
        public ListPage list(String bucket, String prefix, String delimiter, String continuationToken, int maxKeys,
                             CancelSignal cancel) throws StoreException, InterruptedIOException {
            return inner.list(bucket, prefix, delimiter, continuationToken, maxKeys, cancel);
        }

        @Override
        public void close() {
            // the test closes the real store
        }
    }
}
