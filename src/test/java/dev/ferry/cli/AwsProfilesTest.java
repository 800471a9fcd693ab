package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's view of the AWS files; the parsing itself is tested in dev.ferry.profiles.AwsSharedFilesTest. */
class AwsProfilesTest {
    @TempDir
    Path dir;

    @Test
    void readsBothFilesTheEnvironmentNamesWithCredentialsWinning() throws IOException {
        Path credentials = Files.writeString(dir.resolve("credentials"), """
                [work]
                aws_access_key_id = AKIDWORK
                region = eu-central-1
                """);
        Path config = Files.writeString(dir.resolve("config"), """
                [profile work]
                region = us-east-1
                endpoint_url = https://top.example.com
                [profile only-config]
                region = ap-south-1
                """);

        AwsProfiles profiles = AwsProfiles.load(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(), "AWS_CONFIG_FILE", config.toString()));

        assertThat(profiles.get("work", "aws_access_key_id")).isEqualTo("AKIDWORK");
        assertThat(profiles.get("work", "region")).isEqualTo("eu-central-1");
        assertThat(profiles.get("work", "endpoint_url")).isEqualTo("https://top.example.com");
        assertThat(profiles.exists("only-config")).isTrue();
        assertThat(profiles.exists("nobody")).isFalse();
        assertThat(profiles.get("nobody", "region")).isNull();
    }

    @Test
    void parsingAndFilePathsAreTheSharedOnes() {
        assertThat(AwsProfiles.parseText("[profile x]\nregion = r\n", true)).containsOnlyKeys("x");
        assertThat(AwsProfiles.filePath("~/aws/cfg", "/home/u", "config")).isEqualTo(Path.of("/home/u/aws/cfg"));
        assertThat(AwsProfiles.filePath(null, "/home/u", "config")).isEqualTo(Path.of("/home/u/.aws/config"));
    }
}
