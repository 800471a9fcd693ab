package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.profiles.ConnectionProfile.Origin;

class AwsProfileImportTest {
    @TempDir
    Path dir;
    Path credentials;
    Path config;
    AwsProfileImport aws;

    @BeforeEach
    void setUp() throws Exception {
        credentials = Files.writeString(dir.resolve("credentials"), """
                [work]
                aws_access_key_id = AKIDWORK
                aws_secret_access_key = work-secret
                aws_session_token = work-token

                [default]
                aws_access_key_id = AKIDDEFAULT
                aws_secret_access_key = default-secret

                [half]
                aws_access_key_id = AKIDHALF
                """);
        config = Files.writeString(dir.resolve("config"), """
                [default]
                region = eu-west-1

                [profile work]
                endpoint_url = http://127.0.0.1:9000/

                [profile sso-only]
                sso_session = corp
                region = us-west-2

                [profile broken]
                aws_access_key_id = AKIDBROKEN
                aws_secret_access_key = broken-secret
                endpoint_url = ftp://nowhere
                """);
        aws = new AwsProfileImport(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
                "AWS_CONFIG_FILE", config.toString()));
    }

    @Test
    void profilesWithKeysAreOfferedReadOnlyDefaultFirst() {
        assertThat(aws.list()).containsExactly(
                new ConnectionProfile("aws:default", "AWS profile: default", StoreKind.S3,
                        "https://s3.eu-west-1.amazonaws.com", "eu-west-1", false, "AKIDDEFAULT", false, Origin.AWS_FILES),
                new ConnectionProfile("aws:work", "AWS profile: work", StoreKind.S3,
                        "http://127.0.0.1:9000", "us-east-1", false, "AKIDWORK", true, Origin.AWS_FILES));
        assertThat(aws.list()).noneMatch(ConnectionProfile::editable);
    }

    @Test
    void secretsComeFromTheFilesWhenAsked() throws Exception {
        assertThat(aws.secrets("aws:work")).contains(new Secrets("work-secret", "work-token"));
        assertThat(aws.secrets("aws:default")).contains(new Secrets("default-secret", null));
        assertThat(aws.secrets("aws:half")).isEmpty();
        assertThat(aws.secrets("aws:nobody")).isEmpty();
        assertThat(aws.secrets("default")).isEmpty();

        Files.writeString(credentials, Files.readString(credentials).replace("work-secret", "rotated-secret"));
        assertThat(aws.secrets("aws:work")).contains(new Secrets("rotated-secret", "work-token"));
    }

    @Test
    void missingFilesOfferNothing() {
        AwsProfileImport none = new AwsProfileImport(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString(),
                "AWS_CONFIG_FILE", dir.resolve("no-config").toString()));

        assertThat(none.list()).isEmpty();
    }

    @Test
    void theConnectorListsSavedProfilesFirstThenImportedOnes() throws Exception {
        ProfileStore store = new ProfileStore(dir.resolve("home/profiles.json"),
                SecretStores.best(dir.resolve("home")));
        ConnectionProfile saved = store.add(ProfileDraft.empty().withName("Mine").withEndpoint("http://localhost:1")
                .withAccessKeyId("AK").withSecretAccessKey("SK"));
        ProfileConnector connector = new ProfileConnector(store, aws);

        assertThat(connector.profiles()).extracting(ConnectionProfile::id)
                .containsExactly(saved.id(), "aws:default", "aws:work");
        assertThat(connector.resolve(connector.profiles().get(2)).credentials().secretAccessKey())
                .isEqualTo("work-secret");
        assertThat(connector.resolve(saved).credentials().secretAccessKey()).isEqualTo("SK");
    }
}
