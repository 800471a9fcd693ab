package dev.ferry.app.connections;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.profiles.AwsProfileImport;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileConnector;
import dev.ferry.profiles.ProfileDraft;
import dev.ferry.profiles.ProfileStore;
import dev.ferry.profiles.Secrets;
import dev.ferry.profiles.SecretStores;
import dev.ferry.profiles.StoreKind;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TosTestServer;

/** The connections window, driven headless through its controls like a person would. */
@ExtendWith(ApplicationExtension.class)
class ConnectionsDialogTest {
    private static S3ProxyServer s3;

    private Path home;
    private ProfileStore store;
    private ProfileConnector connector;
    private ConnectionsPane pane;
    private Stage stage;
    private int changes;

    @BeforeAll
    static void startServer() {
        s3 = S3ProxyServer.get();
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        home = Files.createTempDirectory("ferry-connections-");
        Files.writeString(home.resolve("aws-credentials"), "[shared]\naws_access_key_id = AKIDSHARED\n"
                + "aws_secret_access_key = shared-secret\n");
        store = new ProfileStore(home.resolve("profiles.json"), SecretStores.best(home));
        connector = new ProfileConnector(store, new AwsProfileImport(Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString(),
                "AWS_CONFIG_FILE", home.resolve("aws-config").toString())));
        pane = new ConnectionsPane(connector, new BackgroundThreads("test-connection"));
        pane.setOnChanged(() -> changes++);
        stage.setScene(new Scene(pane, 960, 640));
        stage.show();
    }

    @Test
    void addAProfileByTypingIntoTheForm(FxRobot robot) throws Exception {
        robot.clickOn("#add");
        robot.clickOn("#name").write("Local S3");
        robot.clickOn("#endpoint").write(s3.endpoint().toString());
        robot.clickOn("#pathStyle");
        robot.clickOn("#accessKey").write(s3.credentials().accessKeyId());
        robot.clickOn("#secretKey").write("typed-secret-1");
        robot.clickOn("#sessionToken").write("typed-token-1");
        robot.clickOn("#save");

        List<ConnectionProfile> saved = store.list();
        assertThat(saved).hasSize(1);
        ConnectionProfile p = saved.get(0);
        assertThat(p.name()).isEqualTo("Local S3");
        assertThat(p.endpoint()).isEqualTo(s3.endpoint().toString());
        assertThat(p.pathStyle()).isTrue();
        assertThat(p.region()).isEqualTo("us-east-1");
        assertThat(store.secrets(p.id())).contains(new Secrets("typed-secret-1", "typed-token-1"));
        assertThat(listedNames()).containsExactly("Local S3", "AWS profile: shared");
        assertThat(robot.lookup("Local S3").tryQuery()).isPresent();
        assertThat(changes).isEqualTo(1);
        assertThat(robot.lookup("#name").tryQuery()).as("the editor closes on save").isEmpty();
    }

    @Test
    void mistakesShowUnderTheirFieldsAndNothingIsSaved(FxRobot robot) throws Exception {
        robot.clickOn("#add");
        robot.clickOn("#name").write("Half done");
        robot.clickOn("#endpoint").write("s3.example.com");
        robot.clickOn("#save");

        assertThat(errorText(robot, "#endpointError")).isEqualTo("Endpoint must start with http:// or https://");
        assertThat(errorText(robot, "#accessKeyError")).isEqualTo("Access key is required");
        assertThat(errorText(robot, "#secretKeyError")).isEqualTo("Secret key is required");
        assertThat(robot.lookup("#nameError").queryAs(Label.class).isVisible()).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(changes).isZero();

        robot.clickOn("#endpoint");
        robot.interact(() -> robot.lookup("#endpoint").queryAs(TextField.class).clear());
        robot.write("http://127.0.0.1:1");
        robot.clickOn("#accessKey").write("AK");
        robot.clickOn("#secretKey").write("SK");
        robot.clickOn("#save");
        assertThat(store.list()).extracting(ConnectionProfile::name).containsExactly("Half done");
    }

    @Test
    void editingKeepsTheStoredSecretUnlessRetyped(FxRobot robot) throws Exception {
        ConnectionProfile p = store.add(ProfileDraft.empty().withName("Existing").withEndpoint("http://127.0.0.1:9000")
                .withAccessKeyId("AKID").withSecretAccessKey("stored-secret").withSessionToken("stored-token"));
        robot.interact(pane::reload);

        robot.clickOn("Existing");
        robot.clickOn("#edit");

        PasswordField secret = robot.lookup("#secretKey").queryAs(PasswordField.class);
        assertThat(secret.getText()).isEmpty();
        assertThat(secret.getPromptText()).isEqualTo("•••• (unchanged)");
        assertThat(robot.lookup("#sessionToken").queryAs(PasswordField.class).getPromptText())
                .isEqualTo("•••• (unchanged)");
        assertThat(robot.lookup("#forgetToken").queryAs(CheckBox.class).isVisible()).isTrue();
        assertThat(robot.lookup("#name").queryAs(TextField.class).getText()).isEqualTo("Existing");

        TextField region = robot.lookup("#region").queryAs(TextField.class);
        robot.clickOn(region);
        robot.interact(region::selectAll);
        robot.write("eu-west-1");
        robot.clickOn("#save");

        ConnectionProfile edited = store.list().get(0);
        assertThat(edited.id()).isEqualTo(p.id());
        assertThat(edited.region()).isEqualTo("eu-west-1");
        assertThat(store.secrets(p.id())).contains(new Secrets("stored-secret", "stored-token"));

        robot.clickOn("Existing");
        robot.clickOn("#edit");
        robot.clickOn("#secretKey").write("retyped-secret");
        robot.clickOn("#forgetToken");
        robot.clickOn("#save");
        assertThat(store.secrets(p.id())).contains(new Secrets("retyped-secret", null));
        assertThat(store.list().get(0).hasSessionToken()).isFalse();
    }

    @Test
    void removeAsksFirst(FxRobot robot) throws Exception {
        ConnectionProfile p = store.add(ProfileDraft.empty().withName("Doomed").withEndpoint("http://127.0.0.1:9000")
                .withAccessKeyId("AKID").withSecretAccessKey("doomed-secret"));
        robot.interact(pane::reload);

        robot.clickOn("Doomed");
        robot.clickOn("#remove");
        robot.clickOn(dialogButton(robot, ButtonType.CANCEL));
        assertThat(store.list()).containsExactly(p);
        assertThat(listedNames()).contains("Doomed");

        robot.clickOn("#remove");
        robot.clickOn(dialogButton(robot, ButtonType.OK));
        assertThat(store.list()).isEmpty();
        assertThat(store.secrets(p.id())).isEmpty();
        assertThat(listedNames()).containsExactly("AWS profile: shared");
        assertThat(changes).isEqualTo(1);
    }

    @Test
    void importedAwsProfilesAreMarkedAndReadOnly(FxRobot robot) {
        assertThat(robot.lookup("from ~/.aws, read-only").tryQuery()).isPresent();

        robot.clickOn("AWS profile: shared");

        assertThat(robot.lookup("#edit").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#remove").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#test").queryButton().isDisabled()).isFalse();
    }

    @Test
    void testInTheFormReportsSuccessAndAWrongSecret(FxRobot robot) throws Exception {
        robot.clickOn("#add");
        // typing is tested above; long values are set directly to keep this test quick
        robot.interact(() -> {
            robot.lookup("#endpoint").queryAs(TextField.class).setText(s3.endpoint().toString());
            robot.lookup("#accessKey").queryAs(TextField.class).setText(s3.credentials().accessKeyId());
            robot.lookup("#secretKey").queryAs(PasswordField.class).setText(s3.credentials().secretAccessKey());
        });
        robot.clickOn("#testForm");

        Label result = robot.lookup("#testResult").queryAs(Label.class);
        awaitText(result, "✔ Connected to 127.0.0.1:");

        robot.clickOn("#secretKey").write("x");
        robot.clickOn("#testForm");
        awaitText(result, "✖ The secret key is wrong (SignatureDoesNotMatch)");
        assertThat(result.getText()).doesNotContain(s3.credentials().secretAccessKey());
        assertThat(store.list()).as("testing saves nothing").isEmpty();
    }

    @Test
    void addATosProfileByChoosingItsKindAndPastingTheEndpoint(FxRobot robot) throws Exception {
        robot.clickOn("#add");
        robot.clickOn("#kind");
        robot.clickOn("Volcengine TOS");
        robot.clickOn("#name").write("Beijing");
        TextField region = robot.lookup("#region").queryAs(TextField.class);
        assertThat(region.getPromptText()).contains("needed unless the endpoint names it");
        robot.interact(() -> robot.lookup("#endpoint").queryAs(TextField.class)
                .setText("https://tos-cn-beijing.volces.com"));
        assertThat(region.getPromptText()).isEqualTo("cn-beijing (from the endpoint)");
        assertThat(robot.lookup("#endpoint").queryAs(TextField.class).getPromptText()).contains("tos-cn-beijing");
        robot.clickOn("#accessKey").write("AKLTtyped");
        robot.clickOn("#secretKey").write("typed-tos-secret");
        robot.clickOn("#save");

        ConnectionProfile p = store.list().get(0);
        assertThat(p.kind()).isEqualTo(StoreKind.TOS);
        assertThat(p.endpoint()).isEqualTo("https://tos-cn-beijing.volces.com");
        assertThat(p.region()).isEqualTo("cn-beijing");
        assertThat(store.secrets(p.id())).contains(new Secrets("typed-tos-secret", null));
        assertThat(robot.lookup("TOS  ·  https://tos-cn-beijing.volces.com  ·  cn-beijing  ·  AKLTtyped").tryQuery())
                .isPresent();

        robot.clickOn("Beijing");
        robot.clickOn("#edit");
        assertThat(robot.lookup("#kind").queryComboBox().getValue()).isEqualTo(StoreKind.TOS);
        assertThat(region.getText()).as("the inferred region stays a hint").isEmpty();
    }

    @Test
    void aTosProfileRefusesAnS3OnlyEndpointAndTestsAgainstATosServer(FxRobot robot) throws Exception {
        try (TosTestServer tos = new TosTestServer()) {
            tos.createBucket("ferry-one");
            robot.clickOn("#add");
            robot.interact(() -> {
                robot.lookup("#kind").queryComboBox().getSelectionModel().select(StoreKind.TOS);
                robot.lookup("#name").queryAs(TextField.class).setText("TOS test");
                robot.lookup("#endpoint").queryAs(TextField.class).setText("tos-s3-cn-beijing.volces.com");
                robot.lookup("#accessKey").queryAs(TextField.class).setText(TosTestServer.CREDENTIALS.accessKeyId());
                robot.lookup("#secretKey").queryAs(PasswordField.class)
                        .setText(TosTestServer.CREDENTIALS.secretAccessKey());
            });
            robot.clickOn("#save");
            assertThat(errorText(robot, "#endpointError")).isEqualTo("This endpoint speaks S3: choose the kind "
                    + "S3-compatible for it, or use the TOS endpoint tos-cn-beijing.volces.com");
            assertThat(store.list()).isEmpty();

            robot.interact(() -> {
                robot.lookup("#endpoint").queryAs(TextField.class).setText(tos.endpoint().toString());
                robot.lookup("#region").queryAs(TextField.class).setText(TosTestServer.REGION);
            });
            robot.clickOn("#testForm");
            Label result = robot.lookup("#testResult").queryAs(Label.class);
            awaitText(result, "✔ Connected to 127.0.0.1:" + tos.port() + ": 1 bucket");

            robot.clickOn("#secretKey").write("x");
            robot.clickOn("#testForm");
            awaitText(result, "✖ The secret key is wrong (SignatureDoesNotMatch, EC ");
            assertThat(result.getText()).doesNotContain(TosTestServer.CREDENTIALS.secretAccessKey());
            assertThat(store.list()).as("testing saves nothing").isEmpty();
        }
    }

    @Test
    void testOfASelectedProfileShowsUnderTheList(FxRobot robot) throws Exception {
        store.add(ProfileDraft.empty().withName("Nowhere").withEndpoint("http://127.0.0.1:1")
                .withAccessKeyId("AKID").withSecretAccessKey("secret"));
        robot.interact(pane::reload);

        robot.clickOn("Nowhere");
        robot.clickOn("#test");

        awaitText(robot.lookup("#listStatus").queryAs(Label.class),
                "✖ Nowhere: Cannot connect to 127.0.0.1:1 (connection refused)");
    }

    @Test
    void anUnreadableProfilesFileIsReportedAndKept(FxRobot robot) throws Exception {
        Path file = home.resolve("profiles.json");
        Files.writeString(file, "{ broken");
        robot.interact(pane::reload);

        assertThat(robot.lookup("#listStatus").queryAs(Label.class).getText())
                .startsWith("Cannot read the connection profiles in " + file);
        assertThat(listedNames()).containsExactly("AWS profile: shared");

        robot.clickOn("#add");
        robot.interact(() -> {
            robot.lookup("#name").queryAs(TextField.class).setText("New");
            robot.lookup("#endpoint").queryAs(TextField.class).setText("http://127.0.0.1:9000");
            robot.lookup("#accessKey").queryAs(TextField.class).setText("AK");
            robot.lookup("#secretKey").queryAs(PasswordField.class).setText("SK");
        });
        robot.clickOn("#save");

        assertThat(robot.lookup("#formError").queryAs(Label.class).getText())
                .startsWith("Not saved: Cannot read the connection profiles");
        assertThat(Files.readString(file)).isEqualTo("{ broken");
    }

    @Test
    void theDialogOpensItsOwnWindow(FxRobot robot) {
        ConnectionsDialog dialog = new ConnectionsDialog(connector);
        Stage[] opened = new Stage[1];
        robot.interact(() -> opened[0] = dialog.show(stage));

        assertThat(opened[0].isShowing()).isTrue();
        assertThat(opened[0].getTitle()).isEqualTo("Connections");
        assertThat(opened[0].getOwner()).isSameAs(stage);
        assertThat(robot.listWindows()).contains(opened[0]);
        robot.interact(opened[0]::close);
    }

    private List<String> listedNames() {
        @SuppressWarnings("unchecked")
        ListView<ConnectionProfile> list = (ListView<ConnectionProfile>) pane.lookup("#profiles");
        return list.getItems().stream().map(ConnectionProfile::name).toList();
    }

    private static String errorText(FxRobot robot, String id) {
        Label l = robot.lookup(id).queryAs(Label.class);
        assertThat(l.isVisible()).as(id + " visible").isTrue();
        return l.getText();
    }

    /** A button of the confirmation dialog, which is a window of its own. */
    private static Node dialogButton(FxRobot robot, ButtonType type) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup((Node n) -> n instanceof Button b && b.getText().equals(type.getText())
                && n.getScene() != null && isDialog(n.getScene().getWindow())).query();
    }

    private static boolean isDialog(Window w) {
        return w instanceof Stage s && "Remove connection".equals(s.getTitle());
    }

    private static void awaitText(Label label, String prefix) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> label.getText().startsWith(prefix));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("expected '" + prefix + "...' but the label says '" + label.getText() + "'");
        }
    }
}
