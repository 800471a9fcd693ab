package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.storage.tos.TosStore;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CopyCheckpoint;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.checkpoint.FerryHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "List resumable transfers (their checkpoints) and how far they got.")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object per line")
    boolean json;

    @Override
    public Integer call() {
        Path dir = FerryHome.checkpoints();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
            } catch (IOException e) {
                System.err.println("ferry: error: cannot read " + dir + ": " + e.getMessage());
                return 1;
            }
        }
        if (files.isEmpty() && !json) {
            System.out.println("no resumable transfers in " + dir);
        }
        for (Path f : files) {
            show(f);
        }
        return 0;
    }

    /**
     * How a checkpoint's source reads: {@code s3://bucket/key}, {@code tos://…}, or a link's origin and path (a link's
     * checkpoint records its origin where a bucket goes, and no bucket name holds "://").
     */
    static String sourceLabel(String endpointId, String bucket, String key) {
        boolean link = bucket != null && bucket.contains("://");
        return (link ? "" : schemeOf(endpointId)) + bucket + "/" + key;
    }

    /** "tos://" for a checkpoint a TOS store wrote (its endpoint id says so), else "s3://". */
    static String schemeOf(String endpointId) {
        return endpointId != null && endpointId.startsWith(TosStore.ENDPOINT_ID_PREFIX) ? ObjectUri.Scheme.TOS.prefix()
                : ObjectUri.Scheme.S3.prefix();
    }

    private static <T> T readQuietly(Path f, Class<T> type) {
        try {
            return CheckpointFiles.read(f, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void unreadable(Path f) {
        if (json) {
            ObjectNode n = Json.object("unreadable");
            n.put("checkpoint", f.toString());
            Json.print(System.out, n);
        } else {
            System.out.println("unreadable checkpoint " + f + " (it is discarded when its transfer runs again)");
        }
    }

    private void showCopy(Path f) {
        CopyCheckpoint cp = readQuietly(f, CopyCheckpoint.class);
        if (cp == null || cp.problem() != null) {
            unreadable(f);
            return;
        }
        String scheme = schemeOf(cp.source().endpoint());
        String source = scheme + cp.source().bucket() + "/" + cp.source().key();
        String dest = scheme + cp.destinationBucket() + "/" + cp.destinationKey();
        long partsDone = cp.parts().stream().filter(CopyCheckpoint.Part::isDone).count();
        long total = cp.object().size();
        if (json) {
            ObjectNode n = Json.object("copy");
            n.put("source", source);
            n.put("endpoint", cp.source().endpoint());
            n.put("destination", dest);
            n.put("uploadId", cp.uploadId());
            n.put("done", cp.completedBytes());
            n.put("total", total);
            n.put("partsDone", partsDone);
            n.put("partsTotal", cp.parts().size());
            n.put("updated", cp.updated());
            n.put("checkpoint", f.toString());
            Json.print(System.out, n);
        } else {
            System.out.print(Printable.text(String.format(Locale.ROOT, "%5.1f%%  %s / %s  copy %s -> %s  (%d/%d "
                            + "parts, upload %s, updated %s)", 100.0 * cp.completedBytes() / Math.max(1, total),
                    Sizes.format(cp.completedBytes()), Sizes.format(total), source, dest, partsDone,
                    cp.parts().size(), cp.uploadId(), cp.updated())) + String.format("%n    checkpoint %s%n", f));
        }
    }

    private void show(Path f) {
        if (f.getFileName().toString().startsWith("copy-")) {
            showCopy(f);
            return;
        }
        DownloadCheckpoint cp = readQuietly(f, DownloadCheckpoint.class);
        if (cp == null || cp.problem() != null) {
            unreadable(f);
            return;
        }
        String source = sourceLabel(cp.source().endpoint(), cp.source().bucket(), cp.source().key());
        long done = cp.completedBytes();
        long total = cp.expectedLength();
        long partsDone = cp.parts().stream().filter(DownloadCheckpoint.Part::isDone).count();
        if (json) {
            ObjectNode n = Json.object("download");
            n.put("source", source);
            n.put("endpoint", cp.source().endpoint());
            n.put("destination", cp.destination());
            n.put("done", done);
            n.put("total", total);
            n.put("partsDone", partsDone);
            n.put("partsTotal", cp.parts().size());
            n.put("updated", cp.updated());
            n.put("checkpoint", f.toString());
            Json.print(System.out, n);
        } else {
            double pct = total == 0 ? 100 : 100.0 * done / total;
            System.out.print(Printable.text(String.format(Locale.ROOT, "%5.1f%%  %s / %s  %s -> %s  (%d/%d parts, "
                            + "updated %s)", pct, Sizes.format(done), Sizes.format(total), source, cp.destination(),
                    partsDone, cp.parts().size(), cp.updated())) + String.format("%n    checkpoint %s%n", f));
        }
    }
}
