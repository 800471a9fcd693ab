package dev.ferry.storage.tos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.storage.s3.Credentials;

class TosConfigTest {
    private static final Credentials KEYS = new Credentials("ak", "sk", null);

    @ParameterizedTest
    @CsvSource({
            "tos-cn-beijing.volces.com, cn-beijing",
            "https://tos-cn-guangzhou.volces.com, cn-guangzhou",
            "https://tos-cn-shanghai.ivolces.com/, cn-shanghai",
            "TOS-AP-SOUTHEAST-1.BYTEPLUSES.COM, ap-southeast-1",
            "http://tos-cn-beijing.volces.com:8080, cn-beijing"})
    void regionComesFromTheEndpointHost(String endpoint, String region) {
        TosConfig c = TosConfig.of(endpoint, null, KEYS, false);
        assertThat(c.region()).isEqualTo(region);
        assertThat(c.endpoint().getScheme()).isIn("http", "https");
        assertThat(TosConfig.of(endpoint, "  ", KEYS, false).region()).isEqualTo(region);
    }

    @Test
    void aGivenRegionIsUsedAndAnEndpointWithoutSchemeIsHttps() {
        TosConfig c = TosConfig.of("127.0.0.1:9000", "cn-beijing", KEYS, false);
        assertThat(c.endpoint()).isEqualTo(URI.create("https://127.0.0.1:9000"));
        assertThat(c.region()).isEqualTo("cn-beijing");
        assertThat(c.endpointId()).isEqualTo("https://127.0.0.1:9000");
        assertThat(TosConfig.of("https://tos-cn-beijing.volces.com/", null, KEYS, false).endpointId())
                .isEqualTo("https://tos-cn-beijing.volces.com");
    }

    @Test
    void addressingIsVirtualHostedUnlessIpLocalhostOrAsked() {
        TosConfig tos = TosConfig.of("tos-cn-beijing.volces.com", null, KEYS, false);
        assertThat(tos.usesPathStyle("my-bucket")).isFalse();
        assertThat(TosConfig.of("tos-cn-beijing.volces.com", null, KEYS, true).usesPathStyle("my-bucket")).isTrue();
        assertThat(TosConfig.of("http://127.0.0.1:9000", "cn-beijing", KEYS, false).usesPathStyle("b1b")).isTrue();
        assertThat(TosConfig.of("http://localhost:9000", "cn-beijing", KEYS, false).usesPathStyle("b1b")).isTrue();
        assertThat(TosConfig.of("http://[::1]:9000", "cn-beijing", KEYS, false).usesPathStyle("b1b")).isTrue();
        // a name that cannot be a host label goes in the path rather than break the host
        assertThat(tos.usesPathStyle("Upper_Case")).isTrue();
    }

    @Test
    void s3EndpointsAreSentToS3Mode() {
        assertThatThrownBy(() -> TosConfig.of("https://tos-s3-cn-beijing.volces.com", null, KEYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("S3 protocol").hasMessageContaining("S3 mode")
                .hasMessageContaining("tos-cn-beijing.volces.com");
        assertThatThrownBy(() -> TosConfig.of("tos-s3-cn-beijing.volces.com", "cn-beijing", KEYS, false))
                .hasMessageContaining("S3 mode");
        assertThatThrownBy(() -> TosConfig.of("bkt.tos-s3-cn-beijing.ivolces.com", null, KEYS, false))
                .hasMessageContaining("S3 mode").hasMessageContaining("tos-cn-beijing.ivolces.com");
        assertThat(TosConfig.regionOf("tos-s3-cn-beijing.volces.com")).isEmpty();
    }

    @Test
    void anEndpointWithABucketInItIsExplained() {
        assertThatThrownBy(() -> TosConfig.of("https://my-bucket.tos-cn-beijing.volces.com", null, KEYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names the bucket 'my-bucket'")
                .hasMessageContaining("tos-cn-beijing.volces.com");
    }

    @Test
    void anUnknownHostNeedsARegion() {
        assertThatThrownBy(() -> TosConfig.of("http://127.0.0.1:9000", null, KEYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot tell the region").hasMessageContaining("127.0.0.1");
    }

    @Test
    void aRegionContradictingTheEndpointIsRefused() {
        assertThatThrownBy(() -> TosConfig.of("tos-cn-beijing.volces.com", "cn-shanghai", KEYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cn-beijing").hasMessageContaining("cn-shanghai");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "ftp://tos-cn-beijing.volces.com", "https://ak:sk@tos-cn-beijing.volces.com",
            "https://tos-cn-beijing.volces.com/bucket", "https://tos-cn-beijing.volces.com?x=1", "https://",
            "http://exa mple.com"})
    void badEndpointsAreRefusedWithAReason(String endpoint) {
        assertThatThrownBy(() -> TosConfig.of(endpoint, "cn-beijing", KEYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("sk@"));
    }

    @Test
    void badRegionNamesAreRefused() {
        assertThatThrownBy(() -> TosConfig.of("http://127.0.0.1:1", "cn beijing", KEYS, false))
                .hasMessageContaining("not a TOS region");
    }

    @Test
    void publicEndpointOfARegion() {
        assertThat(TosConfig.publicEndpoint("cn-beijing")).isEqualTo(URI.create("https://tos-cn-beijing.volces.com"));
    }
}
