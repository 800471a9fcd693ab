package dev.ferry.app.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

import dev.ferry.transfer.CoalescingSaver;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Keeps {@link AppSettings} in {@code settings.json}: read once, saved atomically and debounced (a slider
 * dragged across its range is one write, not hundreds). An unreadable file is reported and replaced by
 * defaults on the next save; it never stops the app.
 */
public final class SettingsStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SettingsStore.class.getName());
    private static final long SAVE_INTERVAL_MILLIS = 300;

    private final Path file;
    private final CoalescingSaver saver;
    private volatile AppSettings current;
    private final String loadProblem;

    public SettingsStore(Path file) {
        this.file = file;
        AppSettings loaded = null;
        String problem = null;
        try {
            loaded = CheckpointFiles.read(file, AppSettings.class);
        } catch (IOException | RuntimeException e) {
            problem = "the settings in " + file + " could not be read (" + e.getMessage() + "); defaults are used";
            LOG.warning(problem);
        }
        AppSettings defaults = AppSettings.defaults();
        if (loaded != null && (loaded.downloadFolder() == null || loaded.downloadFolder().isBlank())) {
            loaded = loaded.withDownloadFolder(defaults.downloadFolder());
        }
        this.current = loaded != null ? loaded : defaults;
        this.loadProblem = problem;
        this.saver = new CoalescingSaver("ferry-settings-save", SAVE_INTERVAL_MILLIS, this::saveQuietly);
        saver.start();
    }

    public AppSettings get() {
        return current;
    }

    public Optional<String> loadProblem() {
        return Optional.ofNullable(loadProblem);
    }

    /** Replaces the settings; they are written shortly after. */
    public void set(AppSettings settings) {
        current = settings;
        saver.request();
    }

    private void saveQuietly() {
        try {
            CheckpointFiles.write(file, current);
        } catch (IOException | RuntimeException e) {
            LOG.warning("the settings could not be saved to " + file + ": " + e.getMessage());
        }
    }

    /** Writes what is pending and stops. */
    @Override
    public void close() {
        saver.stopAndFlush();
    }
}
