package dev.ferry.cli;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.Link;
import dev.ferry.storage.http.LinkNames;
import dev.ferry.storage.http.LinkStore;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.SafePaths;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import okhttp3.OkHttpClient;

/**
 * {@code ferry download https://…}: one file from a plain link. The file is named by DEST, else by the
 * server's Content-Disposition, else by the link's last path segment. Its checkpoint is named by the
 * destination, so the same command with a fresh link (an expired presigned link renewed) continues the
 * download when the server still serves the same file (same ETag, size and Last-Modified).
 */
final class LinkDownload {
    private final DownloadCommand cmd;

    LinkDownload(DownloadCommand cmd) {
        this.cmd = cmd;
    }

    int run() {
        refuseObjectStoreOptions();
        Link link;
        try {
            link = Link.parse(cmd.source);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long part = Sizes.parsePartSize(cmd.partSize);
        Sizes.checkConnections(cmd.connections);
        long rate = Sizes.parseRate(cmd.limit);
        OkHttpClient http = HttpClients.create(cmd.connections, HttpClients.CONNECT_TIMEOUT, HttpClients.READ_TIMEOUT,
                true, HttpClients.receiveBufferFor(rate, cmd.connections));
        try (LinkStore store = new LinkStore(link, http, RetryPolicy.DEFAULT)) {
            ObjectInfo info = null;
            Path target = explicitTarget();
            if (target == null || !cmd.cancel) {
                if (!cmd.cancel) {
                    // the probe stands in for the download's HEAD, so the parts' connections open while it is out
                    store.connectAhead(link.ref(), cmd.connections - 1);
                }
                info = probe(store, link);
                if (info == null) {
                    return 1;
                }
            }
            if (target == null) {
                target = namedTarget(link, info);
            }
            Path checkpoint = cmd.checkpoint.choose(CheckpointFiles.defaultLinkCheckpoint(target));
            DownloadRequest request = DownloadRequest.of(link.ref(), target).withPartSize(part)
                    .withConnections(cmd.connections).withCheckpoint(checkpoint).withOverwrite(cmd.overwrite)
                    .withRateLimit(rate).withKnownInfo(info);
            if (cmd.cancel) {
                return cmd.cancelTransfer(request, link.display());
            }
            return cmd.runOne(store, request, link.display());
        } finally {
            HttpClients.shutdown(http);
        }
    }

    private void refuseObjectStoreOptions() {
        StoreOptions o = cmd.store;
        if (o.endpoint != null || o.region != null || o.profile != null || o.pathStyle) {
            throw new UsageException("--endpoint, --region, --profile and --path-style are for s3:// and tos:// "
                    + "sources, not links");
        }
        if (cmd.recursive) {
            throw new UsageException("--recursive lists s3:// and tos:// prefixes; a link names one file");
        }
        if (cmd.versionId != null) {
            throw new UsageException("--version-id is for s3:// and tos:// objects, not links");
        }
    }

    /** Learns the file; null (after saying why) when the server cannot be asked or refuses. */
    private static ObjectInfo probe(LinkStore store, Link link) {
        try {
            return store.head(link.ref(), new CancelSignal());
        } catch (InterruptedIOException e) {
            return null;
        } catch (StoreException e) {
            if (e.isServerError() && e.httpStatus() < 500 || !e.isServerError() && !e.isRetryable()) {
                throw new UsageException(e.getMessage());
            }
            System.err.println(Printable.text("ferry: error: " + e.getMessage()));
            return null;
        }
    }

    /** DEST when it names a file (not a folder), else null: the name then comes from the server or the link. */
    private Path explicitTarget() {
        Path dest = cmd.dest;
        if (dest == null || Files.isDirectory(dest) || cmd.destNamesFolder) {
            return null;
        }
        return dest.toAbsolutePath();
    }

    private Path namedTarget(Link link, ObjectInfo info) {
        Path folder = (cmd.dest == null ? Path.of("") : cmd.dest).toAbsolutePath();
        return folder.resolve(fileName(link, info));
    }

    /** Content-Disposition's name, else the link's last path segment, made safe for a file system. */
    static String fileName(Link link, ObjectInfo info) {
        return SafePaths.safeSegment(LinkNames.fileName(link, info));
    }
}
