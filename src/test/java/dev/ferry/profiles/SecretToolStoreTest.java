package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The keyring store and the choice of store, against a fake {@code secret-tool} (no keyring needed). */
@DisabledOnOs(OS.WINDOWS)
class SecretToolStoreTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Path home;
    FakeSecretTool fake;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        home = dir.resolve("home");
        fake = new FakeSecretTool(dir.resolve("fake"));
        env = new HashMap<>(Map.of(
                "DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus",
                "HOME", dir.toString(),
                "PATH", "/usr/bin:/bin",
                "AWS_SECRET_ACCESS_KEY", "not-for-children",
                "SOMETHING_ELSE", "x"));
    }

    private SecretToolStore store(Duration timeout) {
        return new SecretToolStore(fake.command, SecretToolStore.childEnvironment(env).orElseThrow(), timeout);
    }

    private SecretStore best() {
        return SecretStores.best(home, env, Optional.of(fake.command), TIMEOUT, TIMEOUT);
    }

    @Test
    void roundTripStoresThroughStandardInputNeverTheCommandLine() throws Exception {
        SecretToolStore store = store(TIMEOUT);

        store.put("p1", new Secrets(SECRET, TOKEN));
        store.put("p2", new Secrets("other-secret", null));

        assertThat(fake.argv(1)).containsExactly("store", "--label=Ferry: p1", "application", "ferry", "profile", "p1");
        assertThat(fake.stdin(1)).contains(SECRET).contains(TOKEN);
        assertThat(fake.item("p2")).isEqualTo("{\"secretAccessKey\":\"other-secret\"}");
        assertThat(store.get("p1")).contains(new Secrets(SECRET, TOKEN));
        assertThat(store.get("p2")).contains(new Secrets("other-secret", null));
        assertThat(fake.argv(fake.calls())).containsExactly("lookup", "application", "ferry", "profile", "p2");
        assertThat(store.get("never-stored")).isEmpty();

        store.put("p1", new Secrets("replaced", null));
        assertThat(store.get("p1")).contains(new Secrets("replaced", null));

        assertThat(fake.allArguments()).noneMatch(a -> a.contains(SECRET) || a.contains(TOKEN)
                || a.contains("other-secret") || a.contains("replaced"));
    }

    @Test
    void removeDeletesTheItemAndForgivesAMissingOne() throws Exception {
        SecretToolStore store = store(TIMEOUT);
        store.put("p1", new Secrets(SECRET, null));

        store.remove("p1");

        assertThat(fake.argv(fake.calls())).containsExactly("clear", "application", "ferry", "profile", "p1");
        assertThat(fake.items()).isEmpty();
        assertThat(store.get("p1")).isEmpty();
        store.remove("p1");
    }

    @Test
    void childGetsOnlyWhatTheSessionBusNeeds() throws Exception {
        store(TIMEOUT).get("p1");

        assertThat(fake.env(1)).contains("DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus",
                "HOME=" + dir, "PATH=/usr/bin:/bin");
        // nothing else from Ferry's own environment either (the shell adds PWD and the like itself)
        Set<String> allowed = Set.of("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DISPLAY", "HOME", "PATH",
                "PWD", "OLDPWD", "SHLVL", "_");
        assertThat(fake.env(1)).allSatisfy(l -> assertThat(l.substring(0, l.indexOf('='))).isIn(allowed));
    }

    @Test
    void aHangingKeyringTimesOutPromptly() throws Exception {
        SecretToolStore store = store(Duration.ofSeconds(1));
        fake.flag("hang", true);

        long start = System.nanoTime();
        assertThatThrownBy(() -> store.put("p1", new Secrets(SECRET, TOKEN))).isInstanceOf(IOException.class)
                .hasMessageContaining("did not answer within 1 s").hasMessageContaining("locked")
                .hasMessageNotContaining(SECRET);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        // what the hanging child started is gone too
        Optional<ProcessHandle> sleep = ProcessHandle.of(fake.sleepPid());
        if (sleep.isPresent()) {
            sleep.get().onExit().get(5, TimeUnit.SECONDS);
        }

        assertThatThrownBy(() -> store.get("p1")).hasMessageContaining("did not answer within 1 s");
    }

    @Test
    void aFailingKeyringSaysWhatSecretToolSaidWithoutTheSecret() throws Exception {
        SecretToolStore store = store(TIMEOUT);
        fake.flag("fail", true);

        assertThatThrownBy(() -> store.put("p1", new Secrets(SECRET, TOKEN))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot store the secret key of connection p1 in the keyring")
                .hasMessageContaining("Cannot create an item in a locked collection")
                .hasMessageNotContaining(SECRET).hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining("K7MDENG");
        // the fake echoed the secret to stderr, so it really had to be masked
        assertThat(fake.stdin(1)).contains(SECRET);
        assertThatThrownBy(() -> store.get("p1")).hasMessageStartingWith("Cannot read the secret key of connection p1")
                .hasMessageContaining("locked collection");
        assertThatThrownBy(() -> store.remove("p1")).hasMessageStartingWith("Cannot remove");
    }

    @Test
    void aMissingCommandIsAClearError() {
        SecretToolStore store = new SecretToolStore(dir.resolve("no-such-secret-tool"),
                SecretToolStore.childEnvironment(env).orElseThrow(), TIMEOUT);

        assertThatThrownBy(() -> store.get("p1")).isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot run " + dir.resolve("no-such-secret-tool"));
        assertThat(store.answers(TIMEOUT)).isFalse();
    }

    @Test
    void aLockedKeyringIsNotMistakenForAMissingSecret() throws Exception {
        SecretToolStore store = store(TIMEOUT);
        store.put("p1", new Secrets(SECRET, null));
        fake.flag("locked", true);

        assertThatThrownBy(() -> store.get("p1")).isInstanceOf(IOException.class).hasMessageContaining("locked")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> store.remove("p1")).isInstanceOf(IOException.class).hasMessageContaining("locked");
        assertThat(store.get("other")).isEmpty();
    }

    @Test
    void anItemFerryDidNotWriteIsReportedWithoutItsContent() throws Exception {
        fake.putItem("p1", "plain-TOPSECRET-value");

        assertThatThrownBy(() -> store(TIMEOUT).get("p1")).isInstanceOf(IOException.class)
                .hasMessageContaining("not the JSON Ferry writes").hasMessageNotContaining("TOPSECRET");
    }

    @Test
    void keyringIsChosenWhenTheToolAndABusAnswer() throws Exception {
        SecretStore best = best();

        assertThat(best).isInstanceOf(SecretToolStore.class);
        assertThat(best.describe()).isEqualTo("in the login keyring (Secret Service)");
        assertThat(fake.argv(1)).containsExactly("search", "application", "ferry", "purpose", "probe");
        best.put("p1", new Secrets(SECRET, null));
        assertThat(fake.items()).containsExactly("p1");
        assertThat(home.resolve(SecretStores.FILE_NAME)).doesNotExist();
    }

    @Test
    void theStandardBusSocketCountsAsASessionBus() throws Exception {
        env.remove("DBUS_SESSION_BUS_ADDRESS");
        Path runtime = Files.createDirectories(dir.resolve("run"));
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        assertThat(best()).isInstanceOf(FileSecretStore.class);

        Files.writeString(runtime.resolve("bus"), "");
        assertThat(best()).isInstanceOf(SecretToolStore.class);
        assertThat(fake.env(fake.calls())).contains("DBUS_SESSION_BUS_ADDRESS=unix:path=" + runtime.resolve("bus"));
    }

    @Test
    void fileIsChosenWithoutASessionBus() throws Exception {
        env.remove("DBUS_SESSION_BUS_ADDRESS");

        assertThat(best()).isInstanceOf(FileSecretStore.class).extracting(SecretStore::describe)
                .isEqualTo(new FileSecretStore(home.resolve(SecretStores.FILE_NAME)).describe());
        assertThat(fake.calls()).isZero();
    }

    @Test
    void fileIsChosenWhenAskedFor() throws Exception {
        env.put("FERRY_SECRETS", "file");

        assertThat(best()).isInstanceOf(FileSecretStore.class);
        assertThat(fake.calls()).isZero();

        env.put("FERRY_SECRETS", "auto");
        assertThat(best()).isInstanceOf(SecretToolStore.class);
    }

    @Test
    void fileIsChosenWhenTheProbeFailsOrHangs() throws Exception {
        fake.flag("fail", true);
        assertThat(best()).isInstanceOf(FileSecretStore.class);
        assertThat(fake.calls()).isEqualTo(1);

        fake.flag("fail", false).flag("hang", true);
        long start = System.nanoTime();
        assertThat(SecretStores.best(home, env, Optional.of(fake.command), Duration.ofMillis(500), TIMEOUT))
                .isInstanceOf(FileSecretStore.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void fileIsChosenWithoutSecretTool() {
        assertThat(SecretStores.best(home, env, Optional.empty(), TIMEOUT, TIMEOUT))
                .isInstanceOf(FileSecretStore.class);
    }

    @Test
    void secretsInTheFileMoveIntoTheKeyring() throws Exception {
        FileSecretStore file = new FileSecretStore(home.resolve(SecretStores.FILE_NAME));
        file.put("p1", new Secrets(SECRET, TOKEN));
        file.put("p2", new Secrets("other-secret", null));

        SecretStore best = best();

        assertThat(best).isInstanceOf(SecretToolStore.class);
        assertThat(fake.items()).containsExactly("p1", "p2");
        assertThat(best.get("p1")).contains(new Secrets(SECRET, TOKEN));
        assertThat(best.get("p2")).contains(new Secrets("other-secret", null));
        assertThat(home.resolve(SecretStores.FILE_NAME)).doesNotExist();
        assertThat(fake.allArguments()).noneMatch(a -> a.contains(SECRET) || a.contains("other-secret"));
    }

    @Test
    void secretsTheKeyringRefusesStayInTheFileAndAreStillFound() throws Exception {
        FileSecretStore file = new FileSecretStore(home.resolve(SecretStores.FILE_NAME));
        file.put("p1", new Secrets(SECRET, TOKEN));
        file.put("p2", new Secrets("other-secret", null));
        file.put("p3", new Secrets("third-secret", null));
        fake.flag("refuse-p2", true);

        SecretStore best = best();

        assertThat(fake.items()).containsExactly("p1");
        assertThat(file.all()).containsOnlyKeys("p2", "p3");
        assertThat(best.describe()).isEqualTo("in the login keyring (Secret Service)");
        assertThat(best.get("p1")).contains(new Secrets(SECRET, TOKEN));
        assertThat(best.get("p2")).contains(new Secrets("other-secret", null));

        // a new secret goes to the keyring and replaces the file's copy; removing removes both
        fake.flag("refuse-p2", false);
        best.put("p2", new Secrets("new-secret", null));
        assertThat(fake.items()).containsExactly("p1", "p2");
        assertThat(file.all()).containsOnlyKeys("p3");
        best.remove("p3");
        assertThat(best.get("p3")).isEmpty();
        assertThat(home.resolve(SecretStores.FILE_NAME)).exists();
        assertThat(file.all()).isEmpty();

        // the next start moves what is left
        file.put("p4", new Secrets("fourth-secret", null));
        assertThat(best()).isInstanceOf(SecretToolStore.class);
        assertThat(fake.items()).containsExactly("p1", "p2", "p4");
        assertThat(home.resolve(SecretStores.FILE_NAME)).doesNotExist();
    }

    @Test
    void aSecretChangedInTheFileDuringTheMoveIsKept() throws Exception {
        FileSecretStore file = new FileSecretStore(home.resolve(SecretStores.FILE_NAME));
        file.put("p1", new Secrets(SECRET, null));
        file.put("p2", new Secrets("other-secret", null));

        file.removeAll(Map.of("p1", new Secrets("an-older-secret", null), "p2", new Secrets("other-secret", null)));

        assertThat(file.all()).containsOnlyKeys("p1");
        assertThat(file.get("p1")).contains(new Secrets(SECRET, null));
    }

    @Test
    void aLockedKeyringMovesNothingAndLosesNothing() throws Exception {
        FileSecretStore file = new FileSecretStore(home.resolve(SecretStores.FILE_NAME));
        file.put("p1", new Secrets(SECRET, null));
        fake.flag("locked", true);

        SecretStore best = best();

        // stored, but not given back: so it stays in the file
        assertThat(file.all()).containsOnlyKeys("p1");
        assertThat(best).isInstanceOf(KeyringWithLeftovers.class);
        assertThat(best.get("p1")).contains(new Secrets(SECRET, null));
    }

    @Test
    void secretToolIsFoundOnThePath() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path notExecutable = Files.createDirectories(dir.resolve("plain")).resolve("secret-tool");
        Files.writeString(notExecutable, "");

        assertThat(SecretStores.onPath("secret-tool", Map.of("PATH", empty + ":" + notExecutable.getParent() + "::"
                + fake.dir))).contains(fake.command);
        assertThat(SecretStores.onPath("secret-tool", Map.of("PATH", empty.toString()))).isEmpty();
        assertThat(SecretStores.onPath("secret-tool", Map.of())).isEmpty();
    }
}
