package dev.ferry.app.about;

import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import dev.ferry.app.AppIcons;

/** Ferry's name, version and licence, and the libraries it bundles with theirs. */
public final class AboutDialog {
    private AboutDialog() {
    }

    /** Shows the dialog over {@code owner} (not waiting for it to close). */
    public static Dialog<ButtonType> show(Window owner) {
        Dialog<ButtonType> dialog = create(AboutInfo.load());
        dialog.initOwner(owner);
        dialog.show();
        return dialog;
    }

    static Dialog<ButtonType> create(AboutInfo info) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle("About Ferry");
        dialog.getDialogPane().setId("about-dialog");
        dialog.getDialogPane().setHeader(header(info));
        dialog.getDialogPane().setContent(new TabPane(
                tab("Licence", "about-licence", info.licence()),
                tab("Third-party libraries", "about-notices", info.notices())));
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.getDialogPane().setPrefSize(760, 560);
        dialog.setResizable(true);
        return dialog;
    }

    private static HBox header(AboutInfo info) {
        Label name = new Label("Ferry");
        name.setStyle("-fx-font-size: 1.8em; -fx-font-weight: bold;");
        Label version = new Label("Version " + info.version());
        version.setId("about-version");
        Label what = new Label("Parallel, resumable transfers for Amazon S3, S3-compatible storage, Volcengine TOS "
                + "and plain HTTP(S) links.");
        what.setWrapText(true);
        Label licence = new Label("Licensed under the " + AboutInfo.LICENCE_NAME
                + ". The libraries it bundles keep their own licences, listed below.");
        licence.setId("about-licence-name");
        licence.setWrapText(true);
        VBox text = new VBox(4, name, version, what, licence);
        HBox header = new HBox(16, icon(), text);
        header.setPadding(new Insets(16));
        return header;
    }

    private static ImageView icon() {
        ImageView view = new ImageView();
        AppIcons.image(128).ifPresent(view::setImage);
        view.setFitWidth(96);
        view.setFitHeight(96);
        view.setSmooth(true);
        return view;
    }

    private static Tab tab(String title, String id, String text) {
        TextArea area = new TextArea(text);
        area.setId(id);
        area.setEditable(false);
        area.setWrapText(false);
        area.setStyle("-fx-font-family: monospace;");
        Tab tab = new Tab(title, area);
        tab.setClosable(false);
        return tab;
    }
}
