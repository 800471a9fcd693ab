package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.S3ProxyServer;

/** Testing and opening connections against a real S3 server (s3proxy). */
class ProfileConnectorS3IT {
    @TempDir
    Path dir;
    S3ProxyServer s3;
    ProfileStore store;
    ProfileConnector connector;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = S3ProxyServer.get();
        bucket = s3.newBucket();
        store = new ProfileStore(dir.resolve("profiles.json"), SecretStores.best(dir));
        connector = new ProfileConnector(store, new AwsProfileImport(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString(),
                "AWS_CONFIG_FILE", dir.resolve("aws-config").toString())));
    }

    private ProfileDraft draft() {
        return ProfileDraft.empty().withName("s3proxy").withEndpoint(s3.endpoint().toString())
                .withAccessKeyId(s3.credentials().accessKeyId())
                .withSecretAccessKey(s3.credentials().secretAccessKey());
    }

    @Test
    void goodKeysConnectAndCountTheBuckets() throws Exception {
        ConnectionProfile p = store.add(draft());

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.message()).matches("Connected to 127\\.0\\.0\\.1:\\d+: \\d+ buckets?");
    }

    @Test
    void wrongSecretSaysSoWithoutShowingIt() throws Exception {
        ConnectionProfile p = store.add(draft().withSecretAccessKey("not-the-secret-123"));

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("The secret key is wrong (SignatureDoesNotMatch)");
    }

    @Test
    void unknownAccessKeySaysSo() throws Exception {
        ConnectionProfile p = store.add(draft().withAccessKeyId("NOBODY"));

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("access key NOBODY").contains("InvalidAccessKeyId");
    }

    @Test
    void closedPortCannotConnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ConnectionProfile p = store.add(draft().withEndpoint("http://127.0.0.1:" + port));

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("Cannot connect to 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void anUnsavedDraftCanBeTestedWithTheStoredSecret() throws Exception {
        ConnectionProfile p = store.add(draft());

        ResolvedProfile edited = store.preview(p.id(), ProfileDraft.of(p).withName("").withRegion("eu-west-1"));
        ConnectionTest result = ProfileConnector.test(edited, new CancelSignal());

        assertThat(result.ok()).as(result.message()).isTrue();
    }

    @Test
    void profileWithoutItsSecretSaysWhatToDo() throws Exception {
        ConnectionProfile p = store.add(draft());
        Files.delete(dir.resolve(SecretStores.FILE_NAME));

        ConnectionTest result = connector.test(p, new CancelSignal());

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("No secret key is stored for 's3proxy'; edit the connection and enter it again");
    }

    @Test
    void openedStoreReadsTheBucket() throws Exception {
        s3.put(bucket, "hello.txt", "hi".getBytes());
        ConnectionProfile p = store.add(draft());

        try (CopyStore opened = connector.open(p, 4)) {
            assertThat(opened).isInstanceOf(S3Store.class);
            ListPage page = opened.list(bucket, "", "", null, 100, new CancelSignal());
            assertThat(page.objects()).extracting(o -> o.key()).containsExactly("hello.txt");
            assertThat(opened.head(ObjectRef.of(bucket, "hello.txt"), new CancelSignal()).size()).isEqualTo(2);
            assertThat(opened.listBuckets(new CancelSignal())).extracting(b -> b.name()).contains(bucket);
        }
    }

    @Test
    void importedAwsProfileConnectsWithTheKeysOfTheFile() throws Exception {
        Files.writeString(dir.resolve("aws-credentials"), "[local]\naws_access_key_id = "
                + s3.credentials().accessKeyId() + "\naws_secret_access_key = " + s3.credentials().secretAccessKey()
                + "\n");
        Files.writeString(dir.resolve("aws-config"), "[profile local]\nendpoint_url = " + s3.endpoint() + "\n");

        ConnectionProfile imported = connector.profiles().stream()
                .filter(p -> p.name().equals("AWS profile: local")).findFirst().orElseThrow();
        ConnectionTest result = connector.test(imported, new CancelSignal());

        assertThat(result.ok()).as(result.message()).isTrue();
    }
}
