package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsSharedFilesTest {
    private static final String CREDENTIALS = """
            # shared credentials
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = secretDefault

            ; another comment
            [work]
            aws_access_key_id=AKIDWORK
            aws_secret_access_key=secret=with=equals
            aws_session_token =
            region = eu-central-1
            """;

    private static final String CONFIG = """
            [default]
            region = us-west-2
            aws_access_key_id = AKIDFROMCONFIG

            [profile work]
            region = us-east-1
            output = json
            aws_session_token = tokenFromConfig
            s3 =
              endpoint_url = https://nested.example.com
              addressing_style = path
            endpoint_url = https://top.example.com

            [profile only-config]
            Region = ap-south-1

            [sso-session corp]
            sso_region = us-east-1

            [services dev]
            s3 =
              endpoint_url = http://localhost:9000
            """;

    @TempDir
    Path dir;

    @Test
    void credentialsFileSectionsAreBareNames() {
        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText(CREDENTIALS, false);

        assertThat(parsed).containsOnlyKeys("default", "work");
        assertThat(parsed.get("default")).containsExactly(
                Map.entry("aws_access_key_id", "AKIDDEFAULT"),
                Map.entry("aws_secret_access_key", "secretDefault"));
        assertThat(parsed.get("work"))
                .containsEntry("aws_access_key_id", "AKIDWORK")
                .containsEntry("aws_secret_access_key", "secret=with=equals")
                .containsEntry("aws_session_token", "")
                .containsEntry("region", "eu-central-1");
    }

    @Test
    void configFileUsesProfilePrefixAndSkipsOtherSections() {
        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText(CONFIG, true);

        assertThat(parsed).containsOnlyKeys("default", "work", "only-config");
        assertThat(parsed.get("only-config")).containsExactly(Map.entry("region", "ap-south-1"));
        assertThat(parsed.values()).noneMatch(m -> m.containsKey("sso_region"));
    }

    @Test
    void nestedSubSectionsAreSkipped() {
        Map<String, String> work = AwsSharedFiles.parseText(CONFIG, true).get("work");

        assertThat(work).containsEntry("endpoint_url", "https://top.example.com")
                .containsEntry("s3", "")
                .doesNotContainKey("addressing_style");
    }

    @Test
    void profilePrefixInCredentialsFileIsPartOfTheName() {
        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText("[profile x]\na = 1\n", false);

        assertThat(parsed).containsOnlyKeys("profile x");
    }

    @Test
    void defaultMayBeWrittenAsProfileDefaultInConfig() {
        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText("[profile default]\nregion = r1\n", true);

        assertThat(parsed.get("default")).containsEntry("region", "r1");
    }

    @Test
    void headerMayCarryCommentsAndExtraSpaces() {
        String text = """
                [ profile   spaced ]  # trailing comment
                region = r2
                [default] ; note
                region = r3
                """;

        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText(text, true);

        assertThat(parsed.get("spaced")).containsExactly(Map.entry("region", "r2"));
        assertThat(parsed.get("default")).containsExactly(Map.entry("region", "r3"));
    }

    @Test
    void linesBeforeAnySectionAndMalformedLinesAreIgnored() {
        String text = "orphan = 1\n[a]\nno equals sign\n= novalue\nk = v\r\nk2 = v2\r\n";

        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText(text, false);

        assertThat(parsed).containsOnlyKeys("a");
        assertThat(parsed.get("a")).containsExactly(Map.entry("k", "v"), Map.entry("k2", "v2"));
    }

    @Test
    void firstValueOfARepeatedKeyWins() {
        Map<String, Map<String, String>> parsed = AwsSharedFiles.parseText("[a]\nk = 1\nK = 2\n[a]\nk = 3\n", false);

        assertThat(parsed.get("a")).containsExactly(Map.entry("k", "1"));
    }

    @Test
    void credentialsFileWinsOverConfigFile() throws IOException {
        AwsSharedFiles profiles = loadBoth();

        assertThat(profiles.get("default", "aws_access_key_id")).isEqualTo("AKIDDEFAULT");
        assertThat(profiles.get("default", "region")).isEqualTo("us-west-2");
        assertThat(profiles.get("work", "region")).isEqualTo("eu-central-1");
        assertThat(profiles.get("work", "output")).isEqualTo("json");
    }

    @Test
    void emptyValueInCredentialsFallsBackToConfig() throws IOException {
        AwsSharedFiles profiles = loadBoth();

        assertThat(profiles.get("work", "aws_session_token")).isEqualTo("tokenFromConfig");
    }

    @Test
    void emptyOrMissingSettingIsNull() throws IOException {
        AwsSharedFiles profiles = loadBoth();

        assertThat(profiles.get("work", "s3")).isNull();
        assertThat(profiles.get("work", "nope")).isNull();
        assertThat(profiles.get("nobody", "region")).isNull();
    }

    @Test
    void existsLooksInBothFiles() throws IOException {
        AwsSharedFiles profiles = loadBoth();

        assertThat(profiles.exists("default")).isTrue();
        assertThat(profiles.exists("work")).isTrue();
        assertThat(profiles.exists("only-config")).isTrue();
        assertThat(profiles.exists("corp")).isFalse();
        assertThat(profiles.exists("sso-session corp")).isFalse();
    }

    @Test
    void missingFilesGiveNoProfiles() {
        AwsSharedFiles profiles = AwsSharedFiles.load(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                "AWS_CONFIG_FILE", dir.resolve("also-none").toString()));

        assertThat(profiles.exists("default")).isFalse();
        assertThat(profiles.get("default", "region")).isNull();
    }

    @Test
    void directoryInsteadOfFileGivesNoProfiles() {
        AwsSharedFiles profiles = AwsSharedFiles.load(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.toString(), "AWS_CONFIG_FILE", dir.toString()));

        assertThat(profiles.exists("default")).isFalse();
    }

    @Test
    void onlyConfigFilePresent() throws IOException {
        Path config = Files.writeString(dir.resolve("config"), CONFIG);

        AwsSharedFiles profiles = AwsSharedFiles.load(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                "AWS_CONFIG_FILE", config.toString()));

        assertThat(profiles.get("default", "aws_access_key_id")).isEqualTo("AKIDFROMCONFIG");
        assertThat(profiles.get("work", "endpoint_url")).isEqualTo("https://top.example.com");
    }

    @Test
    void filePathDefaultsToTheHomeFolder() {
        Path home = Path.of("/home/u");

        assertThat(AwsSharedFiles.filePath(null, "/home/u", "config")).isEqualTo(home.resolve(".aws/config"));
        assertThat(AwsSharedFiles.filePath(" ", "/home/u", "credentials")).isEqualTo(home.resolve(".aws/credentials"));
    }

    @Test
    void filePathExpandsALeadingTilde() {
        assertThat(AwsSharedFiles.filePath("~/aws/cfg", "/home/u", "config")).isEqualTo(Path.of("/home/u/aws/cfg"));
        assertThat(AwsSharedFiles.filePath("/etc/aws/~cfg", "/home/u", "config")).isEqualTo(Path.of("/etc/aws/~cfg"));
        assertThat(AwsSharedFiles.filePath("~other/cfg", "/home/u", "config")).isEqualTo(Path.of("~other/cfg"));
    }

    @Test
    void namesAreEveryProfileOfBothFilesSorted() throws IOException {
        assertThat(loadBoth().names()).containsExactly("default", "only-config", "work");
    }

    private AwsSharedFiles loadBoth() throws IOException {
        Path credentials = Files.writeString(dir.resolve("credentials"), CREDENTIALS);
        Path config = Files.writeString(dir.resolve("config"), CONFIG);
        return AwsSharedFiles.load(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
                "AWS_CONFIG_FILE", config.toString()));
    }
}
