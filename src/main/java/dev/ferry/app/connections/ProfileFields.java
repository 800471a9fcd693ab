package dev.ferry.app.connections;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileDraft;
import dev.ferry.profiles.ProfileField;
import dev.ferry.profiles.Problem;
import dev.ferry.profiles.StoreKind;

/**
 * The editor's fields, each with a line below it for what is wrong with it. Secrets are never put into
 * the fields: when a profile is edited they stay empty, and a placeholder says the stored one is kept.
 */
final class ProfileFields extends GridPane {
    static final String UNCHANGED = "•••• (unchanged)";

    final TextField name = field("name", "e.g. Office MinIO");
    final ComboBox<StoreKind> kind = new ComboBox<>();
    static final String S3_ENDPOINT_PROMPT = "https://s3.us-east-1.amazonaws.com";
    static final String TOS_ENDPOINT_PROMPT = "https://tos-cn-beijing.volces.com";

    final TextField endpoint = field("endpoint", S3_ENDPOINT_PROMPT);
    final TextField region = field("region", ConnectionProfile.DEFAULT_REGION + " (default)");
    final CheckBox pathStyle = new CheckBox("Path-style addressing (bucket name in the URL path)");
    final TextField accessKey = field("accessKey", "");
    final PasswordField secretKey = secret("secretKey");
    final PasswordField sessionToken = secret("sessionToken");
    final CheckBox forgetToken = new CheckBox("Forget the stored session token");
    private final Map<ProfileField, Label> errors = new EnumMap<>(ProfileField.class);
    private int row;

    ProfileFields() {
        setHgap(8);
        setVgap(2);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints inputs = new ColumnConstraints();
        inputs.setHgrow(Priority.ALWAYS);
        getColumnConstraints().addAll(labels, inputs);
        kind.setId("kind");
        kind.getItems().setAll(StoreKind.values());
        kind.setCellFactory(list -> new KindCell());
        kind.setButtonCell(new KindCell());
        kind.valueProperty().addListener((o, was, now) -> updatePrompts());
        endpoint.textProperty().addListener((o, was, now) -> updatePrompts());
        pathStyle.setId("pathStyle");
        forgetToken.setId("forgetToken");

        addRow("Name", name, ProfileField.NAME);
        addRow("Kind", kind, ProfileField.KIND);
        addRow("Endpoint", endpoint, ProfileField.ENDPOINT);
        addRow("Region", region, ProfileField.REGION);
        addRow("", pathStyle, null);
        addRow("Access key", accessKey, ProfileField.ACCESS_KEY);
        addRow("Secret key", secretKey, ProfileField.SECRET_KEY);
        addRow("Session token", sessionToken, ProfileField.SESSION_TOKEN);
        addRow("", forgetToken, null);
    }

    /** Fills the fields for a new profile, or (with {@code p}) for editing it. */
    void load(ConnectionProfile p) {
        ProfileDraft d = p == null ? ProfileDraft.empty() : ProfileDraft.of(p);
        name.setText(d.name());
        kind.setValue(d.kind());
        endpoint.setText(d.endpoint());
        region.setText(d.region());
        pathStyle.setSelected(d.pathStyle());
        accessKey.setText(d.accessKeyId());
        secretKey.clear();
        sessionToken.clear();
        secretKey.setPromptText(p == null ? "" : UNCHANGED);
        sessionToken.setPromptText(p != null && p.hasSessionToken() ? UNCHANGED : "optional");
        forgetToken.setSelected(false);
        show(forgetToken, p != null && p.hasSessionToken());
        showProblems(List.of());
    }

    /**
     * What the empty fields stand for, by kind: S3's default region; for TOS, the region its endpoint names
     * ({@code tos-cn-beijing.volces.com} is in cn-beijing), or that one is needed when it names none.
     */
    private void updatePrompts() {
        if (kind.getValue() == StoreKind.TOS) {
            endpoint.setPromptText(TOS_ENDPOINT_PROMPT);
            region.setPromptText(ProfileDraft.regionFromTosEndpoint(endpoint.getText())
                    .map(r -> r + " (from the endpoint)")
                    .orElse("e.g. cn-beijing (needed unless the endpoint names it)"));
        } else {
            endpoint.setPromptText(S3_ENDPOINT_PROMPT);
            region.setPromptText(ConnectionProfile.DEFAULT_REGION + " (default)");
        }
    }

    ProfileDraft draft() {
        return new ProfileDraft(name.getText(), kind.getValue(), endpoint.getText(), region.getText(),
                pathStyle.isSelected(), accessKey.getText(), secretKey.getText(), sessionToken.getText(),
                forgetToken.isSelected());
    }

    /** Shows each problem under its field and clears the others. */
    void showProblems(List<Problem> problems) {
        errors.values().forEach(l -> {
            l.setText("");
            show(l, false);
        });
        for (Problem p : problems) {
            Label l = errors.get(p.field());
            l.setText(l.getText().isEmpty() ? p.message() : l.getText() + "; " + p.message());
            show(l, true);
        }
    }

    /** The error line under a field (for tests and focus). */
    Label errorOf(ProfileField field) {
        return errors.get(field);
    }

    private void addRow(String label, Node input, ProfileField field) {
        add(new Label(label), 0, row);
        add(input, 1, row++);
        if (field != null) {
            Label error = new Label();
            error.setId(input.getId() + "Error");
            error.setWrapText(true);
            error.setStyle("-fx-text-fill: #b00020; -fx-font-size: 0.9em");
            show(error, false);
            errors.put(field, error);
            add(error, 1, row++);
        }
    }

    private static TextField field(String id, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        return f;
    }

    private static PasswordField secret(String id) {
        PasswordField f = new PasswordField();
        f.setId(id);
        return f;
    }

    private static void show(Node n, boolean visible) {
        n.setVisible(visible);
        n.setManaged(visible);
    }

    /** A kind by its name. */
    private static final class KindCell extends ListCell<StoreKind> {
        @Override
        protected void updateItem(StoreKind k, boolean empty) {
            super.updateItem(k, empty);
            setText(empty || k == null ? null : k.label());
        }
    }
}
