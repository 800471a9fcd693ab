package dev.ferry.app.browser;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.util.StringConverter;

import dev.ferry.app.AppContext;
import dev.ferry.profiles.ConnectionProfile;

/**
 * The connection being browsed, chosen by name; the app's default connection first time round. Re-reads the
 * saved connections on demand and keeps the choice while it still exists.
 */
final class ConnectionPicker {
    private final AppContext context;
    private final Consumer<ConnectionProfile> onChosen;
    private final ComboBox<ConnectionProfile> combo = new ComboBox<>();
    private boolean reloading;

    /** @param onChosen called when another connection is shown, with null when there is none any more */
    ConnectionPicker(AppContext context, Consumer<ConnectionProfile> onChosen) {
        this.context = context;
        this.onChosen = onChosen;
        combo.setId("browser-connection");
        combo.setPromptText("Add a connection first");
        combo.setPrefWidth(200);
        combo.setConverter(new StringConverter<>() {
            @Override
            public String toString(ConnectionProfile p) {
                return p == null ? "" : p.name();
            }

            @Override
            public ConnectionProfile fromString(String s) {
                return null;
            }
        });
        combo.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(ConnectionProfile p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? "Add a connection first" : p.name());
            }
        });
        combo.disableProperty().bind(Bindings.isEmpty(combo.getItems()));
        combo.valueProperty().addListener((o, was, is) -> {
            if (!reloading && is != null && (was == null || !was.id().equals(is.id()))) {
                onChosen.accept(is);
            }
        });
    }

    ComboBox<ConnectionProfile> node() {
        return combo;
    }

    ConnectionProfile chosen() {
        return combo.getValue();
    }

    /** Reads the connections again (one may have been added or removed meanwhile). */
    void reload() {
        ConnectionProfile was = combo.getValue();
        String before = was == null ? null : was.id();
        List<ConnectionProfile> all = context.stores().profiles();
        if (before != null && all.equals(combo.getItems())) {
            return;
        }
        ConnectionProfile pick = find(all, before).or(() -> find(all, context.linkConnection()))
                .orElse(all.isEmpty() ? null : all.get(0));
        reloading = true;
        try {
            combo.getItems().setAll(all);
            combo.setValue(pick);
        } finally {
            reloading = false;
        }
        if (pick == null) {
            onChosen.accept(null);
        } else if (!pick.id().equals(before)) {
            onChosen.accept(pick);
        }
    }

    private static Optional<ConnectionProfile> find(List<ConnectionProfile> all, String id) {
        return all.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
