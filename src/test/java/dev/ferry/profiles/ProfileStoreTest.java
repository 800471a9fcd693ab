package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.profiles.ConnectionProfile.Origin;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

class ProfileStoreTest {
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token";

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

    private static ProfileDraft minio() {
        return ProfileDraft.empty().withName("Office MinIO").withEndpoint("http://127.0.0.1:9000/")
                .withPathStyle(true).withAccessKeyId("AKIDMINIO").withSecretAccessKey(SECRET);
    }

    @Test
    void addedProfileIsListedWithCheckedFieldsAndReadBackByANewStore() throws Exception {
        ConnectionProfile added = store.add(minio().withName("  Office MinIO ").withSessionToken(TOKEN));

        assertThat(added.id()).isNotBlank();
        assertThat(added.name()).isEqualTo("Office MinIO");
        assertThat(added.endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(added.region()).isEqualTo("us-east-1");
        assertThat(added.pathStyle()).isTrue();
        assertThat(added.kind()).isEqualTo(StoreKind.S3);
        assertThat(added.hasSessionToken()).isTrue();
        assertThat(added.origin()).isEqualTo(Origin.FERRY);

        ProfileStore reopened = new ProfileStore(profilesFile, new FileSecretStore(secretsFile));
        assertThat(reopened.list()).containsExactly(added);
        assertThat(reopened.secrets(added.id())).contains(new Secrets(SECRET, TOKEN));
    }

    @Test
    void profilesKeepTheOrderTheyWereAddedIn() throws Exception {
        ConnectionProfile b = store.add(minio().withName("B"));
        ConnectionProfile a = store.add(minio().withName("A"));

        assertThat(store.list()).extracting(ConnectionProfile::id).containsExactly(b.id(), a.id());
        assertThat(b.id()).isNotEqualTo(a.id());
    }

    @Test
    void profilesJsonHasAVersionAndNoSecrets() throws Exception {
        store.add(minio().withSessionToken(TOKEN));

        String json = Files.readString(profilesFile);
        assertThat(json).contains("\"version\"").contains("AKIDMINIO").contains("Office MinIO")
                .doesNotContain(SECRET).doesNotContain(TOKEN);
        assertThat(CheckpointFiles.json().readTree(profilesFile.toFile()).get("version").asInt()).isEqualTo(1);
        assertThat(Files.readString(secretsFile)).contains(SECRET).contains(TOKEN);
    }

    @Test
    void secretsFileIsReadableByItsOwnerOnly() throws Exception {
        ConnectionProfile p = store.add(minio());
        assertThat(Files.getPosixFilePermissions(secretsFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        store.update(p.id(), ProfileDraft.of(p).withSecretAccessKey("another-secret"));
        assertThat(Files.getPosixFilePermissions(secretsFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (var files = Files.list(home)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("profiles.json",
                    "secrets.json");
        }
    }

    @Test
    void updateWithBlankSecretsKeepsTheStoredOnes() throws Exception {
        ConnectionProfile p = store.add(minio().withSessionToken(TOKEN));

        ConnectionProfile changed = store.update(p.id(), ProfileDraft.of(p).withRegion("eu-west-1").withName("Renamed"));

        assertThat(changed.id()).isEqualTo(p.id());
        assertThat(changed.region()).isEqualTo("eu-west-1");
        assertThat(changed.name()).isEqualTo("Renamed");
        assertThat(changed.hasSessionToken()).isTrue();
        assertThat(store.list()).containsExactly(changed);
        assertThat(store.secrets(p.id())).contains(new Secrets(SECRET, TOKEN));
    }

    @Test
    void updateReplacesTypedSecretsAndCanForgetTheToken() throws Exception {
        ConnectionProfile p = store.add(minio().withSessionToken(TOKEN));

        store.update(p.id(), ProfileDraft.of(p).withSecretAccessKey(" new-secret "));
        assertThat(store.secrets(p.id())).contains(new Secrets("new-secret", TOKEN));

        ConnectionProfile noToken = store.update(p.id(), ProfileDraft.of(p).withForgetSessionToken(true));
        assertThat(noToken.hasSessionToken()).isFalse();
        assertThat(store.secrets(p.id())).contains(new Secrets("new-secret", null));
        assertThat(Files.readString(secretsFile)).doesNotContain(TOKEN);
    }

    @Test
    void removeDeletesTheProfileAndItsSecret() throws Exception {
        ConnectionProfile keep = store.add(minio().withName("Keep").withSecretAccessKey("keep-secret"));
        ConnectionProfile gone = store.add(minio().withName("Gone"));

        store.remove(gone.id());

        assertThat(store.list()).containsExactly(keep);
        assertThat(store.secrets(gone.id())).isEmpty();
        assertThat(Files.readString(secretsFile)).doesNotContain(SECRET).contains("keep-secret");
        assertThat(Files.readString(profilesFile)).doesNotContain("Gone");
    }

    @Test
    void namesAreUniqueIgnoringCase() throws Exception {
        ConnectionProfile p = store.add(minio());

        InvalidProfileException e = catchThrowableOfType(InvalidProfileException.class,
                () -> store.add(minio().withName("office minio")));
        assertThat(e.problems()).containsExactly(
                new Problem(ProfileField.NAME, "Another connection is already called 'office minio'"));

        // a profile keeps its own name when edited
        assertThat(store.update(p.id(), ProfileDraft.of(p).withName("OFFICE MINIO")).name()).isEqualTo("OFFICE MINIO");
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void invalidDraftsAreRefusedFieldByFieldAndNothingIsWritten() {
        ProfileDraft bad = ProfileDraft.empty().withEndpoint("ftp://example.com").withRegion("eu west")
                .withAccessKeyId("AK ID");

        InvalidProfileException e = catchThrowableOfType(InvalidProfileException.class, () -> store.add(bad));

        assertThat(e.problems()).extracting(Problem::field).containsExactly(ProfileField.NAME, ProfileField.ENDPOINT,
                ProfileField.REGION, ProfileField.ACCESS_KEY, ProfileField.SECRET_KEY);
        assertThat(e.problems()).extracting(Problem::message).containsExactly("Name is required",
                "Endpoint must start with http:// or https://", "Region must not contain spaces",
                "Access key must not contain spaces", "Secret key is required");
        assertThat(profilesFile).doesNotExist();
        assertThat(secretsFile).doesNotExist();
    }

    @Test
    void endpointsMustBeHttpUrlsWithAHostAndNoCredentials() {
        assertThat(endpointProblem("")).startsWith("Endpoint is required");
        assertThat(endpointProblem("s3.amazonaws.com")).isEqualTo("Endpoint must start with http:// or https://");
        assertThat(endpointProblem("http://exa mple.com")).startsWith("Endpoint is not a valid URL");
        assertThat(endpointProblem("http://user:pw@example.com")).contains("must not contain a user name or password");
        assertThat(endpointProblem("https://")).isIn("Endpoint has no valid host name", "Endpoint is not a valid URL (Expected authority)");
        assertThat(endpointProblem("https://example.com/?x=1")).contains("must not have a query");
        assertThat(endpointProblem("HTTPS://s3.example.com:8443/base")).isNull();
    }

    private String endpointProblem(String endpoint) {
        try {
            store.add(minio().withEndpoint(endpoint));
            return null;
        } catch (InvalidProfileException e) {
            return e.problems().get(0).message();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void namesOfImportedProfilesAreReserved() {
        InvalidProfileException e = catchThrowableOfType(InvalidProfileException.class,
                () -> store.add(minio().withName("AWS profile: default")));

        assertThat(e.problems()).extracting(Problem::field).containsExactly(ProfileField.NAME);
    }

    @Test
    void previewResolvesStoredSecretsWithoutSaving() throws Exception {
        ConnectionProfile p = store.add(minio());
        String before = Files.readString(profilesFile);

        ResolvedProfile r = store.preview(p.id(), ProfileDraft.of(p).withName("").withRegion("ap-east-1"));

        assertThat(r.profile().region()).isEqualTo("ap-east-1");
        assertThat(r.secrets()).isEqualTo(new Secrets(SECRET, null));
        assertThat(Files.readString(profilesFile)).isEqualTo(before);
    }

    @Test
    void updatingAnUnknownProfileFails() {
        assertThatThrownBy(() -> store.update("no-such-id", minio()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-id");
    }

    @Test
    void corruptProfilesFileIsReportedAndLeftAlone() throws Exception {
        byte[] corrupt = "{\"version\": 1, \"profiles\": [ {\"id\": \"x\", ".getBytes(StandardCharsets.UTF_8);
        Files.write(profilesFile, corrupt);

        assertThatThrownBy(store::list).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot read the connection profiles in " + profilesFile)
                .hasMessageContaining("not valid at line 1")
                .hasMessageContaining("The file is left as it is");
        assertThatThrownBy(() -> store.add(minio())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.remove("x")).isInstanceOf(IOException.class);

        assertThat(Files.readAllBytes(profilesFile)).isEqualTo(corrupt);
        assertThat(secretsFile).doesNotExist();
    }

    @Test
    void profilesFileFromANewerFerryIsNotTouched() throws Exception {
        Files.writeString(profilesFile, "{\"version\": 2, \"profiles\": []}");

        assertThatThrownBy(store::list).hasMessageContaining("written by a newer Ferry (format version 2)");
        assertThatThrownBy(() -> store.add(minio())).isInstanceOf(IOException.class);
        assertThat(Files.readString(profilesFile)).isEqualTo("{\"version\": 2, \"profiles\": []}");
    }

    @Test
    void profileWithMissingFieldsIsReported() throws Exception {
        Files.writeString(profilesFile, "{\"version\": 1, \"profiles\": [{\"id\": \"x\", \"name\": \"n\"}]}");

        assertThatThrownBy(store::list).hasMessageContaining("lacks its id, name");
    }

    @Test
    void missingSecretIsEmptyNotAnError() throws Exception {
        ConnectionProfile p = store.add(minio());
        Files.delete(secretsFile);

        assertThat(store.list()).containsExactly(p);
        assertThat(store.secrets(p.id())).isEmpty();
        // editing then needs the secret again
        InvalidProfileException e = catchThrowableOfType(InvalidProfileException.class,
                () -> store.update(p.id(), ProfileDraft.of(p)));
        assertThat(e.problems()).extracting(Problem::field).containsExactly(ProfileField.SECRET_KEY);
    }

    @Test
    void nothingThatHoldsASecretShowsItInToString() throws Exception {
        ConnectionProfile p = store.add(minio().withSessionToken(TOKEN));
        Secrets secrets = store.secrets(p.id()).orElseThrow();
        List<Object> holders = List.of(secrets, new ResolvedProfile(p, secrets), minio().withSessionToken(TOKEN),
                secrets.credentials(p.accessKeyId()), store, store.secretStore());

        for (Object o : holders) {
            assertThat(o.toString()).as(o.getClass().getSimpleName()).doesNotContain(SECRET).doesNotContain(TOKEN);
        }
        assertThat(new ResolvedProfile(p, secrets).toString()).contains("AKIDMINIO").contains("****");
    }
}
