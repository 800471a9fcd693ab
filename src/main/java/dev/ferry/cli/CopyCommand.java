package dev.ferry.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectRef;
import dev.ferry.transfer.Copy;
import dev.ferry.transfer.CopyRequest;
import dev.ferry.transfer.CopyResult;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.PartPlan;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "copy", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Copy an object server-side to another key or bucket of the same endpoint, as a resumable "
                + "multipart copy (UploadPartCopy); content type and user metadata are carried over.",
                "The bytes never pass through this machine, so no bandwidth limit applies to copies.",
                "Both URIs are s3:// (S3, AWS credentials) or both tos:// (Volcengine TOS, TOS_ACCESS_KEY and "
                        + "TOS_SECRET_KEY): a server-side copy stays within one store.",
                "An object already at DEST is not replaced unless --overwrite is given.",
                "Run the same command again to resume after an interruption."},
        footer = {"", "Examples:",
                "  ferry copy s3://src-bucket/big.iso s3://dst-bucket/backups/",
                "  ferry copy s3://bucket/a.bin s3://bucket/b.bin --connections 16",
                "  ferry copy tos://src-bucket/big.iso tos://dst-bucket/ --region cn-beijing",
                "",
                "Exit codes: 0 done, 1 failed, 2 bad usage or input, 3 paused (checkpoint and upload kept; Ctrl-C pauses)."})
public final class CopyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "s3://bucket/key or tos://bucket/key")
    String source;

    @Parameters(index = "1", paramLabel = "DEST", description = "The same scheme as SOURCE: bucket/key, or bucket/prefix/ to keep the source's name")
    String dest;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--part-size", paramLabel = "SIZE", description = "Largest part, 5MiB to 5GiB (default: 20MiB); parts are evened out so the last round "
            + "keeps every connection busy")
    String partSize = "20MiB";

    @Option(names = "--connections", paramLabel = "N", description = "Parts copied at once, 1 to 1000 (default: 8)")
    int connections = PartPlan.DEFAULT_CONNECTIONS;

    @ArgGroup(exclusive = true)
    CheckpointChoice checkpoint = new CheckpointChoice();

    @Option(names = "--version-id", paramLabel = "ID", description = "Copy this version of the source")
    String versionId;

    @Option(names = "--overwrite", description = "Replace an object already at DEST (without it, such a copy is "
            + "refused and nothing is written)")
    boolean overwrite;

    @Option(names = "--json", description = "Print JSON lines: progress (at most 4 a second), events, the result")
    boolean json;

    @Option(names = "--cancel", description = "Abort this copy's multipart upload and delete its checkpoint")
    boolean cancel;

    private final Map<String, String> env;

    public CopyCommand() {
        this(System.getenv());
    }

    CopyCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Warmup.inBackground();
        ObjectUri from = ObjectUri.parse(source);
        ObjectUri to = ObjectUri.parse(dest);
        if (from.scheme() != to.scheme()) {
            throw new UsageException("cannot copy from " + from.scheme().prefix() + " to " + to.scheme().prefix()
                    + ": a server-side copy stays within one store (both s3:// or both tos://)");
        }
        if (from.isPrefix()) {
            throw new UsageException("SOURCE must name an object, not a prefix: " + source);
        }
        long part = Sizes.parsePartSize(partSize);
        Sizes.checkConnections(connections);
        ObjectRef src = new ObjectRef(from.bucket(), from.key(), versionId);
        String destKey = to.isPrefix() ? to.key() + src.fileName() : to.key();
        ObjectRef dst = ObjectRef.of(to.bucket(), destKey);
        StoreOptions.Resolved where = store.resolve(from.scheme(), env, true);
        CopyRequest request = new CopyRequest(src, dst, part, connections, checkpoint.choose(
                CheckpointFiles.defaultCopyCheckpoint(where.endpointId(), src.bucket(), src.key(), src.versionId(),
                        dst.bucket(), dst.key()))).withReplace(overwrite);
        if (request.isOntoItself()) {
            throw new UsageException("cannot copy " + from + " onto itself");
        }
        String label = from.withKey(src.key()) + " -> " + to.withKey(dst.key());
        // a part copy of several GiB can keep the server quiet for minutes before it answers
        try (CopyStore remote = store.open(where, connections, Duration.ofMinutes(10))) {
            if (cancel) {
                return cancelCopy(remote, request);
            }
            TransferPrinter printer = new TransferPrinter(TransferPrinter.modeFor(json, false), label, System.out,
                    System.err);
            Copy copy = new Copy(remote, request, printer);
            Signals.onStop(copy::pause);
            long t0 = System.nanoTime();
            CopyResult result = copy.run();
            if (result.failureKind() == FailureKind.DESTINATION_EXISTS) {
                result = result.withMessage(result.message() + " (--overwrite replaces what is there)");
            }
            printer.printResult(result, System.nanoTime() - t0);
            return DownloadCommand.exitCode(result.state(), result.failureKind());
        }
    }

    private int cancelCopy(CopyStore remote, CopyRequest request) {
        try {
            boolean removed = Copy.discard(remote, request);
            System.out.println(Printable.text(removed ? "aborted the upload and deleted the checkpoint of " + source
                    : "nothing to cancel for " + source));
            return 0;
        } catch (IOException e) {
            throw new UsageException("cannot abort the copy: " + e.getMessage());
        }
    }
}
