package dev.ferry.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.transfer.Copy;
import dev.ferry.transfer.CopyRequest;
import dev.ferry.transfer.CopyResult;
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
                "Run the same command again to resume after an interruption."},
        footer = {"", "Examples:",
                "  ferry copy s3://src-bucket/big.iso s3://dst-bucket/backups/",
                "  ferry copy s3://bucket/a.bin s3://bucket/b.bin --connections 16",
                "",
                "Exit codes: 0 done, 1 failed, 2 bad usage or input, 3 paused (checkpoint and upload kept; Ctrl-C pauses)."})
public final class CopyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "s3://bucket/key")
    String source;

    @Parameters(index = "1", paramLabel = "DEST", description = "s3://bucket/key, or s3://bucket/prefix/ to keep the source's name")
    String dest;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--part-size", paramLabel = "SIZE", description = "Part size, 5MiB to 5GiB (default: 20MiB)")
    String partSize = "20MiB";

    @Option(names = "--connections", paramLabel = "N", description = "Parts copied at once, 1 to 1000 (default: 8)")
    int connections = PartPlan.DEFAULT_CONNECTIONS;

    @ArgGroup(exclusive = true)
    CheckpointChoice checkpoint = new CheckpointChoice();

    @Option(names = "--version-id", paramLabel = "ID", description = "Copy this version of the source")
    String versionId;

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
        S3Uri from = S3Uri.parse(source);
        S3Uri to = S3Uri.parse(dest);
        if (from.isPrefix()) {
            throw new UsageException("SOURCE must name an object, not a prefix: " + source);
        }
        long part = Sizes.parsePartSize(partSize);
        Sizes.checkConnections(connections);
        ObjectRef src = new ObjectRef(from.bucket(), from.key(), versionId);
        String destKey = to.isPrefix() ? to.key() + src.fileName() : to.key();
        ObjectRef dst = ObjectRef.of(to.bucket(), destKey);
        StoreOptions.Resolved where = store.resolve(env, true);
        CopyRequest request = new CopyRequest(src, dst, part, connections, checkpoint.choose(
                CheckpointFiles.defaultCopyCheckpoint(where.endpointId(), src.bucket(), src.key(), src.versionId(),
                        dst.bucket(), dst.key())));
        if (request.isOntoItself()) {
            throw new UsageException("cannot copy " + from + " onto itself");
        }
        String label = "s3://" + src.bucket() + "/" + src.key() + " -> s3://" + dst.bucket() + "/" + dst.key();
        // a part copy of several GiB can keep the server quiet for minutes before it answers
        try (S3Store s3 = store.open(where, connections, Duration.ofMinutes(10))) {
            if (cancel) {
                return cancelCopy(s3, request);
            }
            TransferPrinter printer = new TransferPrinter(TransferPrinter.modeFor(json, false), label, System.out,
                    System.err);
            Copy copy = new Copy(s3, request, printer);
            Signals.onStop(copy::pause);
            long t0 = System.nanoTime();
            CopyResult result = copy.run();
            printer.printResult(result, System.nanoTime() - t0);
            return DownloadCommand.exitCode(result.state(), result.failureKind());
        }
    }

    private int cancelCopy(S3Store s3, CopyRequest request) {
        try {
            boolean removed = Copy.discard(s3, request);
            System.out.println(removed ? "aborted the upload and deleted the checkpoint of " + source
                    : "nothing to cancel for " + source);
            return 0;
        } catch (IOException e) {
            throw new UsageException("cannot abort the copy: " + e.getMessage());
        }
    }
}
