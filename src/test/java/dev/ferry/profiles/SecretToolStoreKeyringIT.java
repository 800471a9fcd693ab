package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyring store against the real {@code secret-tool} and Secret Service of this session. Skipped
 * where there is no {@code secret-tool}, no session bus or no Secret Service answering (as on a build
 * server with only a JDK); to run it headless:
 * {@code dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; mvn ...'}.
 * The items it makes carry fresh ids and are cleared afterwards.
 */
class SecretToolStoreKeyringIT {
    @TempDir
    Path home;
    Map<String, String> env;
    SecretToolStore store;
    String id = "test-" + UUID.randomUUID();
    String otherId = "test-" + UUID.randomUUID();

    @BeforeEach
    void findTheKeyring() {
        env = new HashMap<>(System.getenv());
        env.remove(SecretStores.ENV);
        Optional<Path> tool = SecretStores.onPath("secret-tool", env);
        assumeTrue(tool.isPresent(), "secret-tool is not installed");
        Optional<Map<String, String>> childEnv = SecretToolStore.childEnvironment(env);
        assumeTrue(childEnv.isPresent(), "there is no session bus");
        store = new SecretToolStore(tool.get(), childEnv.get(), SecretToolStore.TIMEOUT);
        assumeTrue(store.answers(Duration.ofSeconds(SecretStores.PROBE_SECONDS)), "no Secret Service answers");
    }

    @AfterEach
    void clear() throws Exception {
        if (store != null) {
            store.remove(id);
            store.remove(otherId);
        }
    }

    @Test
    void roundTripThroughTheRealKeyring() throws Exception {
        assertThat(store.get(id)).isEmpty();

        store.put(id, new Secrets("real-keyring-secret \"quoted\" ünïcode", "a-token\nwith a newline"));
        assertThat(store.get(id)).contains(new Secrets("real-keyring-secret \"quoted\" ünïcode", "a-token\nwith a newline"));

        store.put(id, new Secrets("replaced", null));
        assertThat(store.get(id)).contains(new Secrets("replaced", null));

        store.remove(id);
        assertThat(store.get(id)).isEmpty();
        store.remove(id);
    }

    @Test
    void bestChoosesTheKeyringAndMovesTheFilesSecretsIntoIt() throws Exception {
        FileSecretStore file = new FileSecretStore(home.resolve(SecretStores.FILE_NAME));
        file.put(id, new Secrets("moved-secret", "moved-token"));
        file.put(otherId, new Secrets("other-moved-secret", null));

        SecretStore best = SecretStores.best(home, env);

        assertThat(best).isInstanceOf(SecretToolStore.class);
        assertThat(best.describe()).contains("keyring");
        assertThat(home.resolve(SecretStores.FILE_NAME)).doesNotExist();
        assertThat(store.get(id)).contains(new Secrets("moved-secret", "moved-token"));
        assertThat(store.get(otherId)).contains(new Secrets("other-moved-secret", null));
    }
}
