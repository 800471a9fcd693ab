package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.tos.TosStore;
import dev.ferry.testing.TosTestServer;

/** Testing and opening TOS connections against the in-process TOS test server. */
class ProfileConnectorTosIT {
    @TempDir
    Path dir;
    TosTestServer tos;
    ProfileStore store;
    ProfileConnector connector;

    @BeforeEach
    void setUp() {
        tos = new TosTestServer();
        tos.createBucket("ferry-one").createBucket("ferry-two");
        store = new ProfileStore(dir.resolve("profiles.json"), new FileSecretStore(dir.resolve("secrets.json")));
        connector = new ProfileConnector(store, new AwsProfileImport(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString(),
                "AWS_CONFIG_FILE", dir.resolve("aws-config").toString())));
    }

    @AfterEach
    void stop() {
        tos.close();
    }

    private ProfileDraft draft() {
        return ProfileDraft.empty().withName("TOS test").withKind(StoreKind.TOS)
                .withEndpoint(tos.endpoint().toString()).withRegion(TosTestServer.REGION)
                .withAccessKeyId(TosTestServer.CREDENTIALS.accessKeyId())
                .withSecretAccessKey(TosTestServer.CREDENTIALS.secretAccessKey());
    }

    @Test
    void goodKeysConnectAndCountTheBuckets() throws Exception {
        ConnectionProfile p = store.add(draft());

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.message()).isEqualTo("Connected to 127.0.0.1:" + tos.port() + ": 2 buckets");
        assertThat(tos.requests()).singleElement().satisfies(r -> assertThat(r.header("authorization"))
                .startsWith("TOS4-HMAC-SHA256 Credential=" + TosTestServer.CREDENTIALS.accessKeyId() + "/"));
    }

    @Test
    void wrongSecretFailsWithTheCodeAndEcWithoutShowingIt() throws Exception {
        ConnectionProfile p = store.add(draft().withSecretAccessKey("not-the-secret-123"));

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("The secret key is wrong (SignatureDoesNotMatch, EC 0003-00000003)");
    }

    @Test
    void unknownAccessKeySaysSo() throws Exception {
        ConnectionProfile p = store.add(draft().withAccessKeyId("AKLTnobody"));

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("access key AKLTnobody").contains("InvalidAccessKeyId").contains("EC ");
    }

    @Test
    void aDraftIsTestedBeforeItIsSaved() throws Exception {
        ResolvedProfile preview = store.preview(null, draft().withName(""));

        assertThat(ProfileConnector.test(preview, new CancelSignal()).ok()).isTrue();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void theOpenedStoreIsATosStoreThatReadsTheBucket() throws Exception {
        tos.putObject("ferry-one", "hello.txt", "hi".getBytes());
        ConnectionProfile p = store.add(draft());

        try (CopyStore opened = connector.open(p, 4)) {
            assertThat(opened).isInstanceOf(TosStore.class);
            assertThat(opened.endpointId()).isEqualTo("tos+" + tos.endpoint());
            assertThat(opened.head(ObjectRef.of("ferry-one", "hello.txt"), new CancelSignal()).size()).isEqualTo(2);
            assertThat(opened.list("ferry-one", "", "/", null, 100, new CancelSignal()).objects())
                    .extracting(o -> o.key()).containsExactly("hello.txt");
        }
    }
}
