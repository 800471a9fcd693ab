package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class S3UriTest {

    @Test
    void bucketAndKey() {
        S3Uri u = S3Uri.parse("s3://my-bucket/dir/file.bin");

        assertThat(u.bucket()).isEqualTo("my-bucket");
        assertThat(u.key()).isEqualTo("dir/file.bin");
        assertThat(u.isPrefix()).isFalse();
        assertThat(u).hasToString("s3://my-bucket/dir/file.bin");
    }

    @Test
    void bucketOnlyIsTheEmptyPrefix() {
        S3Uri bare = S3Uri.parse("s3://bucket");
        S3Uri slash = S3Uri.parse("s3://bucket/");

        assertThat(bare).isEqualTo(new S3Uri("bucket", ""));
        assertThat(slash).isEqualTo(new S3Uri("bucket", ""));
        assertThat(bare.isPrefix()).isTrue();
        assertThat(bare).hasToString("s3://bucket/");
    }

    @Test
    void keyEndingInSlashIsAPrefix() {
        S3Uri u = S3Uri.parse("s3://bucket/photos/2024/");

        assertThat(u.key()).isEqualTo("photos/2024/");
        assertThat(u.isPrefix()).isTrue();
    }

    @Test
    void schemeIsCaseInsensitiveAndBucketCaseIsKept() {
        S3Uri u = S3Uri.parse("S3://Legacy.Bucket_1/Key");

        assertThat(u.bucket()).isEqualTo("Legacy.Bucket_1");
        assertThat(u.key()).isEqualTo("Key");
    }

    @Test
    void keyIsKeptVerbatim() {
        S3Uri u = S3Uri.parse("s3://b/a b/ü+%20?x=1#frag//../z");

        assertThat(u.key()).isEqualTo("a b/ü+%20?x=1#frag//../z");
        assertThat(u.isPrefix()).isFalse();
    }

    @Test
    void onlyTheFirstSlashSeparatesTheBucket() {
        assertThat(S3Uri.parse("s3://b//leading").key()).isEqualTo("/leading");
    }

    @Test
    void parseOfToStringIsIdentity() {
        S3Uri u = new S3Uri("bucket", "some/key");

        assertThat(S3Uri.parse(u.toString())).isEqualTo(u);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"bucket/key", "s3:/bucket/key", "http://bucket/key", "s3:bucket", "tos://b/k"})
    void notAnS3Uri(String text) {
        assertThatThrownBy(() -> S3Uri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("not an S3 URI")
                .hasMessageContaining("s3://bucket/key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3:///key"})
    void missingBucket(String text) {
        assertThatThrownBy(() -> S3Uri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("no bucket in '" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bad bucket/k", "s3://b?x/k", "s3://b:80/k", "s3://bü/k"})
    void invalidBucketName(String text) {
        assertThatThrownBy(() -> S3Uri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid bucket name");
    }

    @Test
    void overlongBucketIsRejected() {
        String name = "b".repeat(256);

        assertThatThrownBy(() -> S3Uri.parse("s3://" + name + "/k")).isInstanceOf(UsageException.class);
        assertThat(S3Uri.parse("s3://" + name.substring(1) + "/k").bucket()).hasSize(255);
    }
}
