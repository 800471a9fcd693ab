package dev.ferry.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --checkpoint FILE} or {@code --no-checkpoint} (mutually exclusive). */
final class CheckpointChoice {
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint file (default: under $FERRY_HOME/checkpoints)")
    Path file;

    @Option(names = "--no-checkpoint", description = "Keep no checkpoint (an interrupted transfer starts over)")
    boolean none;

    /** The checkpoint to use: none, the given file, or the default. */
    Path choose(Path defaultFile) {
        return none ? null : file != null ? file.toAbsolutePath() : defaultFile;
    }
}
