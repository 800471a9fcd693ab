package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectUriTest {

    @Test
    void bucketAndKey() {
        ObjectUri u = ObjectUri.parse("s3://my-bucket/dir/file.bin");

        assertThat(u.bucket()).isEqualTo("my-bucket");
        assertThat(u.key()).isEqualTo("dir/file.bin");
        assertThat(u.isPrefix()).isFalse();
        assertThat(u).hasToString("s3://my-bucket/dir/file.bin");
    }

    @Test
    void bucketOnlyIsTheEmptyPrefix() {
        ObjectUri bare = ObjectUri.parse("s3://bucket");
        ObjectUri slash = ObjectUri.parse("s3://bucket/");

        assertThat(bare).isEqualTo(ObjectUri.s3("bucket", ""));
        assertThat(slash).isEqualTo(ObjectUri.s3("bucket", ""));
        assertThat(bare.isPrefix()).isTrue();
        assertThat(bare).hasToString("s3://bucket/");
    }

    @Test
    void keyEndingInSlashIsAPrefix() {
        ObjectUri u = ObjectUri.parse("s3://bucket/photos/2024/");

        assertThat(u.key()).isEqualTo("photos/2024/");
        assertThat(u.isPrefix()).isTrue();
    }

    @Test
    void schemeIsCaseInsensitiveAndBucketCaseIsKept() {
        ObjectUri u = ObjectUri.parse("S3://Legacy.Bucket_1/Key");

        assertThat(u.bucket()).isEqualTo("Legacy.Bucket_1");
        assertThat(u.key()).isEqualTo("Key");
    }

    @Test
    void keyIsKeptVerbatim() {
        ObjectUri u = ObjectUri.parse("s3://b/a b/ü+%20?x=1#frag//../z");

        assertThat(u.key()).isEqualTo("a b/ü+%20?x=1#frag//../z");
        assertThat(u.isPrefix()).isFalse();
    }

    @Test
    void onlyTheFirstSlashSeparatesTheBucket() {
        assertThat(ObjectUri.parse("s3://b//leading").key()).isEqualTo("/leading");
    }

    @Test
    void parseOfToStringIsIdentity() {
        ObjectUri u = ObjectUri.s3("bucket", "some/key");

        assertThat(ObjectUri.parse(u.toString())).isEqualTo(u);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"bucket/key", "s3:/bucket/key", "http://bucket/key", "s3:bucket", "tos:/b/k", "gs://b/k"})
    void notAnObjectUri(String text) {
        assertThatThrownBy(() -> ObjectUri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("not an S3 or TOS URI")
                .hasMessageContaining("s3://bucket/key or tos://bucket/key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3:///key", "tos://", "tos:///key"})
    void missingBucket(String text) {
        assertThatThrownBy(() -> ObjectUri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("no bucket in '" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bad bucket/k", "s3://b?x/k", "s3://b:80/k", "s3://bü/k"})
    void invalidBucketName(String text) {
        assertThatThrownBy(() -> ObjectUri.parse(text))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid bucket name");
    }

    @Test
    void overlongBucketIsRejected() {
        String name = "b".repeat(256);

        assertThatThrownBy(() -> ObjectUri.parse("s3://" + name + "/k")).isInstanceOf(UsageException.class);
        assertThat(ObjectUri.parse("s3://" + name.substring(1) + "/k").bucket()).hasSize(255);
    }

    @Test
    void tosUrisNameTheirScheme() {
        ObjectUri u = ObjectUri.parse("TOS://my-bucket/dir/file.bin");

        assertThat(u.scheme()).isEqualTo(ObjectUri.Scheme.TOS);
        assertThat(u.bucket()).isEqualTo("my-bucket");
        assertThat(u.key()).isEqualTo("dir/file.bin");
        assertThat(u).hasToString("tos://my-bucket/dir/file.bin");
        assertThat(u.withKey("other")).isEqualTo(ObjectUri.tos("my-bucket", "other"));
        assertThat(ObjectUri.parse("s3://b/k").scheme()).isEqualTo(ObjectUri.Scheme.S3);
    }

    @Test
    void aSchemeAloneIsTheBucketListWhereALocationMayBeOne() {
        assertThat(ObjectUri.parseLocation("tos://")).satisfies(u -> {
            assertThat(u.isBucketList()).isTrue();
            assertThat(u.scheme()).isEqualTo(ObjectUri.Scheme.TOS);
            assertThat(u).hasToString("tos://");
        });
        assertThat(ObjectUri.parseLocation("s3://").isBucketList()).isTrue();
        assertThat(ObjectUri.parseLocation("s3://b").isBucketList()).isFalse();
        assertThatThrownBy(() -> ObjectUri.parseLocation("tos:///key")).hasMessageStartingWith("no bucket");
    }
}
