package dev.ferry.app.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.ferry.transfer.queue.TransferService;

/**
 * What a person sets once and expects to find again: where downloads go, how many transfers run at once, the
 * global bandwidth limit and the connection that serves dropped {@code s3://} links.
 *
 * @param downloadFolder    absolute path of the default download folder
 * @param maxConcurrent     transfers running at once
 * @param globalLimit       bytes per second over all transfers, 0 for unlimited
 * @param defaultConnection id of the connection for dropped and pasted links, or null
 * @param theme             "light" or "dark"
 * @param window            where the main window was last, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AppSettings(int version, String downloadFolder, int maxConcurrent, long globalLimit,
                          String defaultConnection, String theme, WindowBounds window) {
    public static final int VERSION = 1;
    public static final String LIGHT = "light";
    public static final String DARK = "dark";

    /** The main window's place and size on screen. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    }

    public AppSettings {
        if (maxConcurrent < 1 || maxConcurrent > TransferService.MAX_CONCURRENT_LIMIT) {
            maxConcurrent = TransferService.DEFAULT_MAX_CONCURRENT;
        }
        if (globalLimit < 0) {
            globalLimit = 0;
        }
        if (!DARK.equals(theme)) {
            theme = LIGHT;
        }
    }

    public static AppSettings defaults() {
        return new AppSettings(VERSION, DownloadsFolder.find().toString(), TransferService.DEFAULT_MAX_CONCURRENT, 0,
                null, LIGHT, null);
    }

    public AppSettings withDownloadFolder(String v) {
        return new AppSettings(version, v, maxConcurrent, globalLimit, defaultConnection, theme, window);
    }

    public AppSettings withMaxConcurrent(int v) {
        return new AppSettings(version, downloadFolder, v, globalLimit, defaultConnection, theme, window);
    }

    public AppSettings withGlobalLimit(long v) {
        return new AppSettings(version, downloadFolder, maxConcurrent, v, defaultConnection, theme, window);
    }

    public AppSettings withDefaultConnection(String v) {
        return new AppSettings(version, downloadFolder, maxConcurrent, globalLimit, v, theme, window);
    }

    public AppSettings withTheme(String v) {
        return new AppSettings(version, downloadFolder, maxConcurrent, globalLimit, defaultConnection, v, window);
    }

    public AppSettings withWindow(WindowBounds v) {
        return new AppSettings(version, downloadFolder, maxConcurrent, globalLimit, defaultConnection, theme, v);
    }
}
