package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.StoreException;

/** Saved Volcengine TOS connections: TOS' endpoint rules, the region taken from the endpoint, and the file. */
class TosProfileTest {
    private static final String SECRET = "tos-secret-Qm3xV9pL-never-in-the-file";

    @TempDir
    Path home;
    Path profilesFile;
    Path secretsFile;
    ProfileStore store;

    @BeforeEach
    void setUp() {
        profilesFile = home.resolve("profiles.json");
        secretsFile = home.resolve("secrets.json");
        store = new ProfileStore(profilesFile, new FileSecretStore(secretsFile));
    }

    private static ProfileDraft tos(String endpoint) {
        return ProfileDraft.empty().withName("Beijing").withKind(StoreKind.TOS).withEndpoint(endpoint)
                .withAccessKeyId("AKLTkey").withSecretAccessKey(SECRET);
    }

    private InvalidProfileException refused(ProfileDraft d) {
        return catchThrowableOfType(InvalidProfileException.class, () -> store.add(d));
    }

    @Test
    void aPastedBareHostIsHttpsWithTheRegionItNamesAndSurvivesARoundTrip() throws Exception {
        ConnectionProfile added = store.add(tos("tos-cn-beijing.volces.com"));

        assertThat(added.kind()).isEqualTo(StoreKind.TOS);
        assertThat(added.endpoint()).isEqualTo("https://tos-cn-beijing.volces.com");
        assertThat(added.region()).isEqualTo("cn-beijing");
        ProfileStore reopened = new ProfileStore(profilesFile, new FileSecretStore(secretsFile));
        assertThat(reopened.list()).containsExactly(added);
        assertThat(reopened.secrets(added.id())).contains(new Secrets(SECRET, null));
        assertThat(Files.readString(profilesFile)).contains("\"TOS\"").doesNotContain(SECRET);
    }

    @Test
    void anHttpsEndpointWithATrailingSlashIsStoredWithoutIt() throws Exception {
        ConnectionProfile added = store.add(tos("https://tos-cn-shanghai.volces.com/"));

        assertThat(added.endpoint()).isEqualTo("https://tos-cn-shanghai.volces.com");
        assertThat(added.region()).isEqualTo("cn-shanghai");
    }

    @Test
    void editingShowsAnInferredRegionAsEmptySoANewEndpointBringsItsOwn() throws Exception {
        ConnectionProfile added = store.add(tos("tos-cn-beijing.volces.com"));
        ProfileDraft draft = ProfileDraft.of(added);
        assertThat(draft.region()).isEmpty();

        ConnectionProfile moved = store.update(added.id(), draft.withEndpoint("tos-cn-guangzhou.volces.com"));

        assertThat(moved.region()).isEqualTo("cn-guangzhou");
        assertThat(store.secrets(added.id())).contains(new Secrets(SECRET, null));
    }

    @Test
    void anEndpointThatNamesNoRegionNeedsOne() throws Exception {
        InvalidProfileException e = refused(tos("http://127.0.0.1:9000"));
        assertThat(e.problems()).extracting(Problem::field).containsExactly(ProfileField.REGION);
        assertThat(e.problems().get(0).message()).startsWith("Cannot tell the region").contains("cn-beijing");

        ConnectionProfile local = store.add(tos("http://127.0.0.1:9000").withRegion("cn-beijing").withPathStyle(true));
        assertThat(local.region()).isEqualTo("cn-beijing");
        assertThat(ProfileDraft.of(local).region()).isEqualTo("cn-beijing");
    }

    @Test
    void aRegionThatContradictsTheEndpointIsRefused() {
        InvalidProfileException e = refused(tos("tos-cn-beijing.volces.com").withRegion("cn-shanghai"));

        assertThat(e.problems()).extracting(Problem::field).containsExactly(ProfileField.REGION);
        assertThat(e.problems().get(0).message()).contains("cn-beijing").contains("leave the region empty");
    }

    @Test
    void anS3OnlyTosEndpointIsRefusedWithTheHintToChooseS3() {
        InvalidProfileException e = refused(tos("https://tos-s3-cn-beijing.volces.com"));

        assertThat(e.problems()).containsExactly(new Problem(ProfileField.ENDPOINT, "This endpoint speaks S3: choose "
                + "the kind S3-compatible for it, or use the TOS endpoint tos-cn-beijing.volces.com"));
    }

    @Test
    void aTosEndpointInAnS3ProfileIsRefusedWithTheHintToChooseTos() {
        InvalidProfileException e = refused(tos("https://tos-cn-beijing.volces.com").withKind(StoreKind.S3));

        assertThat(e.problems()).containsExactly(new Problem(ProfileField.ENDPOINT, "This is a Volcengine TOS "
                + "endpoint: choose the kind Volcengine TOS for it, or use its S3 endpoint tos-s3-cn-beijing.volces.com"));
    }

    @Test
    void otherEndpointMistakesAreTosConfigsInAFormsWords() {
        assertThat(refused(tos("")).problems()).containsExactly(new Problem(ProfileField.ENDPOINT,
                "Endpoint is required, e.g. https://tos-cn-beijing.volces.com"));
        assertThat(refused(tos("https://tos-cn-beijing.volces.com/bucket/key")).problems())
                .extracting(Problem::field).containsExactly(ProfileField.ENDPOINT);
        assertThat(refused(tos("https://my-bucket.tos-cn-beijing.volces.com")).problems().get(0).message())
                .startsWith("The endpoint my-bucket.tos-cn-beijing.volces.com names the bucket");
        assertThat(refused(tos("ftp://tos-cn-beijing.volces.com")).problems().get(0).message())
                .startsWith("The endpoint must start with https://");
    }

    @Test
    void aProfilesFileFromBeforeTosKeepsLoading() throws Exception {
        Files.writeString(profilesFile, """
                {"version":1,"profiles":[{"id":"p1","name":"Old MinIO","kind":"S3","endpoint":"http://127.0.0.1:9000",\
                "region":"us-east-1","pathStyle":true,"accessKeyId":"AKID","hasSessionToken":false}]}
                """);

        assertThat(store.list()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(StoreKind.S3);
            assertThat(p.name()).isEqualTo("Old MinIO");
        });
    }

    @Test
    void tosErrorsAreExplainedWithTheirEc() throws Exception {
        ConnectionProfile p = store.add(tos("tos-cn-beijing.volces.com"));
        StoreException wrongSecret = StoreException.server("ListBuckets", 403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match. [EC 0003-00000003]", "req-1", false);
        StoreException noService = StoreException.server("ListBuckets", 404, "NotFound", "Not here [EC 0000-1]",
                "req-2", false);

        assertThat(ConnectionMessages.describe(wrongSecret, p))
                .isEqualTo("The secret key is wrong (SignatureDoesNotMatch, EC 0003-00000003)");
        assertThat(ConnectionMessages.describe(noService, p)).startsWith("The endpoint does not answer like a "
                + "Volcengine TOS service").contains("EC 0000-1");
    }
}
