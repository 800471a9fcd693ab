package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Every window the app opens, dialogs too, wears Ferry's icon in every rendered size. */
@ExtendWith(ApplicationExtension.class)
class AppIconsIT {
    Stage main;

    @Start
    void start(Stage stage) {
        main = stage;
        AppIcons.follow();
        stage.setScene(new Scene(new Label("main"), 300, 200));
        stage.show();
    }

    @Test
    void theIconComesInEveryRenderedSizeFromTheClassPath() {
        List<Image> images = AppIcons.images();
        assertThat(images).hasSize(AppIcons.SIZES.length);
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            assertThat(image.isError()).isFalse();
            assertThat(image.getWidth()).isEqualTo(AppIcons.SIZES[i]);
            assertThat(image.getHeight()).isEqualTo(AppIcons.SIZES[i]);
        }
    }

    @Test
    void theMainWindowAndWindowsOpenedLaterWearTheIcon() throws Exception {
        assertThat(main.getIcons()).containsExactlyElementsOf(AppIcons.images());

        Stage later = WaitForAsyncUtils.asyncFx(() -> {
            Stage s = new Stage();
            s.setScene(new Scene(new Label("later"), 200, 100));
            s.show();
            return s;
        }).get(10, TimeUnit.SECONDS);
        assertThat(later.getIcons()).containsExactlyElementsOf(AppIcons.images());

        Stage dialog = WaitForAsyncUtils.asyncFx(() -> {
            Alert alert = new Alert(Alert.AlertType.INFORMATION, "hello");
            alert.initOwner(main);
            alert.show();
            return (Stage) alert.getDialogPane().getScene().getWindow();
        }).get(10, TimeUnit.SECONDS);
        assertThat(dialog.getIcons()).containsExactlyElementsOf(AppIcons.images());
        WaitForAsyncUtils.asyncFx(() -> {
            dialog.close();
            later.close();
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStageWithItsOwnIconKeepsIt() throws Exception {
        Image own = AppIcons.images().get(0);
        Stage stage = WaitForAsyncUtils.asyncFx(() -> {
            Stage s = new Stage();
            s.getIcons().add(own);
            s.setScene(new Scene(new Label("own"), 200, 100));
            s.show();
            return s;
        }).get(10, TimeUnit.SECONDS);
        assertThat(stage.getIcons()).containsExactly(own);
        WaitForAsyncUtils.asyncFx(stage::close).get(10, TimeUnit.SECONDS);
    }
}
