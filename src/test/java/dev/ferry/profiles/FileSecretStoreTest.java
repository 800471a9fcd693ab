package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {
    @TempDir
    Path dir;

    @Test
    void roundTripThroughANewStore() throws Exception {
        Path file = dir.resolve("sub/secrets.json");
        new FileSecretStore(file).put("a", new Secrets("secret-a", null));
        new FileSecretStore(file).put("b", new Secrets("secret-b", "token-b"));

        FileSecretStore reopened = new FileSecretStore(file);
        assertThat(reopened.get("a")).contains(new Secrets("secret-a", null));
        assertThat(reopened.get("b")).contains(new Secrets("secret-b", "token-b"));
        assertThat(reopened.get("c")).isEmpty();

        reopened.remove("a");
        reopened.remove("never-there");
        assertThat(new FileSecretStore(file).get("a")).isEmpty();
        assertThat(new FileSecretStore(file).get("b")).isPresent();
    }

    @Test
    void fileIsCreatedOwnerOnlyAndStaysSo() throws Exception {
        Path file = dir.resolve("secrets.json");
        FileSecretStore store = new FileSecretStore(file);

        store.put("a", new Secrets("s", null));
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        store.remove("a");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aFileOthersCouldReadIsMadePrivateWhenRead() throws Exception {
        Path file = dir.resolve("secrets.json");
        new FileSecretStore(file).put("a", new Secrets("s", null));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(new FileSecretStore(file).get("a")).isPresent();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void corruptFileIsReportedWithoutItsContentAndNotOverwritten() throws Exception {
        Path file = dir.resolve("secrets.json");
        String corrupt = "{\"version\": 1, \"secrets\": {\"a\": {\"secretAccessKey\": TOPSECRET-VALUE";
        Files.writeString(file, corrupt);
        FileSecretStore store = new FileSecretStore(file);

        assertThatThrownBy(() -> store.get("a")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot read the stored secrets in " + file)
                .hasMessageContaining("line 1")
                .hasMessageNotContaining("TOPSECRET");
        assertThatThrownBy(() -> store.put("b", new Secrets("other", null)))
                .hasMessageNotContaining("TOPSECRET");
        assertThat(Files.readString(file)).isEqualTo(corrupt);
    }

    @Test
    void blankSecretInTheFileIsReportedWithoutContent() throws Exception {
        Path file = dir.resolve("secrets.json");
        Files.writeString(file, "{\"version\": 1, \"secrets\": {\"a\": {\"secretAccessKey\": \" \", "
                + "\"sessionToken\": \"TOKEN-VALUE\"}}}");

        assertThatThrownBy(() -> new FileSecretStore(file).get("a")).isInstanceOf(IOException.class)
                .hasMessageNotContaining("TOKEN-VALUE");
    }

    @Test
    void unknownFormatVersionIsRefused() throws Exception {
        Path file = dir.resolve("secrets.json");
        Files.writeString(file, "{\"version\": 7, \"secrets\": {}}");

        assertThatThrownBy(() -> new FileSecretStore(file).get("a")).hasMessageContaining("format version 7");
    }

    @Test
    void describeNamesTheFile() {
        Path file = dir.resolve("secrets.json");

        assertThat(SecretStores.best(dir).describe()).isEqualTo(new FileSecretStore(file).describe())
                .contains(file.toString()).contains("readable only by you");
    }
}
