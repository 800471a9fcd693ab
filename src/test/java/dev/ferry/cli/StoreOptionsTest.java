package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.cli.ObjectUri.Scheme;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.storage.tos.TosConfig;
import dev.ferry.storage.tos.TosStore;

/** How --endpoint, --region and the environment become a store, for s3:// and tos://. */
class StoreOptionsTest {
    private static final String SECRET = "tos-secret-never-shown";

    @TempDir
    Path home;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private Map<String, String> tosKeys(String... more) {
        Map<String, String> env = env(more);
        env.put("TOS_ACCESS_KEY", "AKLTkey");
        env.put("TOS_SECRET_KEY", SECRET);
        return env;
    }

    private static StoreOptions options(String endpoint, String region) {
        StoreOptions o = new StoreOptions();
        o.endpoint = endpoint;
        o.region = region;
        return o;
    }

    @Test
    void aBareTosHostMeansHttpsAndNamesTheRegion() {
        StoreOptions.Resolved r = options("tos-cn-beijing.volces.com", null).resolve(Scheme.TOS, tosKeys(), true);

        assertThat(r.endpoint()).isEqualTo(URI.create("https://tos-cn-beijing.volces.com"));
        assertThat(r.region()).isEqualTo("cn-beijing");
        assertThat(r.credentials()).isEqualTo(new Credentials("AKLTkey", SECRET, null));
    }

    @Test
    void aPastedHttpsEndpointWithTrailingSlashWorks() {
        StoreOptions.Resolved r = options("https://tos-cn-shanghai.volces.com/", null)
                .resolve(Scheme.TOS, tosKeys(), true);

        assertThat(r.region()).isEqualTo("cn-shanghai");
        assertThat(r.endpointId()).isEqualTo("tos+https://tos-cn-shanghai.volces.com");
    }

    @Test
    void theEndpointComesFromTosEndpointOrElseFromTheRegion() {
        assertThat(options(null, null).resolve(Scheme.TOS,
                tosKeys("TOS_ENDPOINT", "https://tos-ap-southeast-1.bytepluses.com"), true).region())
                .isEqualTo("ap-southeast-1");
        StoreOptions.Resolved byRegion = options(null, "cn-guangzhou").resolve(Scheme.TOS, tosKeys(), true);
        assertThat(byRegion.endpoint()).isEqualTo(URI.create("https://tos-cn-guangzhou.volces.com"));
        StoreOptions.Resolved byEnvRegion = options(null, null).resolve(Scheme.TOS,
                tosKeys("TOS_REGION", "cn-beijing"), true);
        assertThat(byEnvRegion.endpoint()).isEqualTo(TosConfig.publicEndpoint("cn-beijing"));
    }

    @Test
    void anEndpointNamingItsRegionWinsOverTosRegionButNotOverAnExplicitOne() {
        StoreOptions.Resolved r = options("tos-cn-shanghai.volces.com", null).resolve(Scheme.TOS,
                tosKeys("TOS_REGION", "cn-beijing"), true);
        assertThat(r.region()).isEqualTo("cn-shanghai");

        assertThatThrownBy(() -> options("tos-cn-shanghai.volces.com", "cn-beijing")
                .resolve(Scheme.TOS, tosKeys(), true)).isInstanceOf(UsageException.class)
                .hasMessageContaining("is in region cn-shanghai, not cn-beijing");
    }

    @Test
    void aLocalEndpointTakesTheRegionFromTosRegion() {
        StoreOptions.Resolved r = options("http://127.0.0.1:9000", null).resolve(Scheme.TOS,
                tosKeys("TOS_REGION", "cn-beijing"), true);
        assertThat(r.region()).isEqualTo("cn-beijing");
        assertThatThrownBy(() -> options("http://127.0.0.1:9000", null).resolve(Scheme.TOS, tosKeys(), true))
                .isInstanceOf(UsageException.class).hasMessageContaining("give the region as well");
    }

    @Test
    void nothingToFindTheEndpointByIsExplained() {
        assertThatThrownBy(() -> options(null, null).resolve(Scheme.TOS, tosKeys(), true))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--endpoint").hasMessageContaining("TOS_ENDPOINT").hasMessageContaining("TOS_REGION");
    }

    @Test
    void anS3OnlyTosEndpointIsRefusedInTosModeWithTheHint() {
        assertThatThrownBy(() -> options("https://tos-s3-cn-beijing.volces.com", null)
                .resolve(Scheme.TOS, tosKeys(), true)).isInstanceOf(UsageException.class)
                .hasMessageContaining("speaks the S3 protocol").hasMessageContaining("tos-cn-beijing.volces.com");
        // and it is fine in S3 mode
        assertThat(options("https://tos-s3-cn-beijing.volces.com", "cn-beijing")
                .resolve(Scheme.S3, env("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), true).endpoint())
                .isEqualTo(URI.create("https://tos-s3-cn-beijing.volces.com"));
    }

    @Test
    void aNativeTosEndpointIsRefusedInS3ModeWithTheHint() {
        assertThatThrownBy(() -> options("https://tos-cn-beijing.volces.com", null).resolve(Scheme.S3,
                env("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), true))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("tos://").hasMessageContaining("tos-s3-cn-beijing.volces.com");
    }

    @Test
    void missingTosKeysNameTheVariablesAndAwsKeysDoNotCount() {
        Map<String, String> env = env("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s",
                "TOS_ACCESS_KEY", "AKLTonly");
        assertThatThrownBy(() -> options("tos-cn-beijing.volces.com", null).resolve(Scheme.TOS, env, true))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("TOS_ACCESS_KEY").hasMessageContaining("TOS_SECRET_KEY");
        // --cancel needs no keys
        assertThat(options("tos-cn-beijing.volces.com", null).resolve(Scheme.TOS, env, false).credentials()).isNull();
    }

    @Test
    void theSecurityTokenIsTaken() {
        StoreOptions.Resolved r = options("tos-cn-beijing.volces.com", null).resolve(Scheme.TOS,
                tosKeys("TOS_SECURITY_TOKEN", "sts-token"), true);
        assertThat(r.credentials().sessionToken()).isEqualTo("sts-token");
        assertThat(r.toString()).doesNotContain(SECRET).doesNotContain("sts-token");
    }

    @Test
    void profileIsForS3Only() {
        StoreOptions o = options("tos-cn-beijing.volces.com", null);
        o.profile = "work";
        assertThatThrownBy(() -> o.resolve(Scheme.TOS, tosKeys(), true)).isInstanceOf(UsageException.class)
                .hasMessageContaining("s3:// URIs only");
    }

    @Test
    void tosAndS3OnTheSameHostHaveDifferentEndpointIdsSoDifferentCheckpoints() {
        Map<String, String> env = tosKeys("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s",
                "TOS_REGION", "cn-beijing");
        StoreOptions o = options("http://127.0.0.1:9000", null);
        StoreOptions.Resolved tos = o.resolve(Scheme.TOS, env, true);
        StoreOptions.Resolved s3 = o.resolve(Scheme.S3, env, true);

        assertThat(tos.endpointId()).isNotEqualTo(s3.endpointId());
        try (CopyStore tosStore = o.open(tos, 1); CopyStore s3Store = o.open(s3, 1)) {
            assertThat(tosStore).isInstanceOf(TosStore.class);
            assertThat(s3Store).isInstanceOf(S3Store.class);
            assertThat(tosStore.endpointId()).isEqualTo(tos.endpointId());
            assertThat(s3Store.endpointId()).isEqualTo(s3.endpointId());
        }
        TosStore direct = new TosStore(TosConfig.of("http://127.0.0.1:9000/", "cn-beijing",
                new Credentials("a", "b", null), false), HttpClients.create(1), RetryPolicy.DEFAULT);
        assertThat(direct.endpointId()).isEqualTo(tos.endpointId());
        direct.close();
    }

    @Test
    void anEndpointWithoutItsSchemeGetsAHintButOneThatMayHoldASecretIsNotRepeated() {
        assertThatThrownBy(() -> StoreOptions.parseEndpoint("127.0.0.1:18041")).isInstanceOf(UsageException.class)
                .hasMessageContaining("did you mean https://127.0.0.1:18041 (or http://127.0.0.1:18041)");
        assertThatThrownBy(() -> StoreOptions.parseEndpoint("minio.local:9000")).isInstanceOf(UsageException.class)
                .hasMessageContaining("did you mean https://minio.local:9000");
        assertThatThrownBy(() -> StoreOptions.parseEndpoint("key:s3cr3t@minio.local:9000"))
                .isInstanceOf(UsageException.class).hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> StoreOptions.parseEndpoint("ftp://host")).isInstanceOf(UsageException.class)
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void anErrorWithoutACodeSaysItsStatusOnce() {
        String m = dev.ferry.storage.StoreException.server("HeadObject", 501, null, null, "RID1", false).getMessage();
        assertThat(m).isEqualTo("HeadObject failed: HTTP 501 (request id RID1)");
        assertThat(dev.ferry.storage.StoreException.server("GetObject", 404, "NoSuchKey", "gone", "RID2", false)
                .getMessage()).isEqualTo("GetObject failed: NoSuchKey: gone (HTTP 404, request id RID2)");
    }
}
