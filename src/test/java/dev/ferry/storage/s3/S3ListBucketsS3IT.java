package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.StoreException;
import dev.ferry.testing.S3ProxyServer;

/** S3Store.listBuckets against a real s3proxy. */
class S3ListBucketsS3IT {
    private final S3ProxyServer s3 = S3ProxyServer.get();
    private final CancelSignal never = new CancelSignal();

    @Test
    void listsTheBucketsJustCreatedWithTheirCreationTimes() throws Exception {
        Instant before = Instant.now().minus(Duration.ofMinutes(1));
        String first = s3.newBucket();
        String second = s3.newBucket();

        List<BucketSummary> buckets = s3.store().listBuckets(never);

        // other tests share the server, so only these two are known to be there
        assertThat(buckets).extracting(BucketSummary::name).contains(first, second).doesNotHaveDuplicates();
        assertThat(buckets).filteredOn(b -> b.name().equals(first) || b.name().equals(second))
                .allSatisfy(b -> assertThat(b.created()).isNotNull()
                        .isBetween(before, Instant.now().plus(Duration.ofMinutes(1))));
    }

    @Test
    void wrongCredentialsAreRefusedWithTheServersCode() {
        S3Store stranger = s3.store(new Credentials(s3.credentials().accessKeyId(), "not-the-secret", null));

        StoreException e = catchThrowableOfType(StoreException.class, () -> stranger.listBuckets(never));

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).startsWith("ListBuckets failed: SignatureDoesNotMatch");
    }
}
