package dev.ferry.transfer;

import java.util.List;

import dev.ferry.transfer.event.Progress;

/**
 * What every kind of transfer (download, copy) offers whoever shows or steers it. All methods may be called
 * from any thread and never block.
 */
public interface Transfer {
    TransferState state();

    /** The latest progress snapshot (refreshed about every 250 ms while running). */
    Progress progress();

    /** Per-part progress for a part map, in part order; empty until the part plan is known. */
    List<PartView> parts();

    /** Stops promptly, keeping what a later run resumes from. */
    void pause();

    /** Stops promptly and removes what was transferred so far (the partial file, the multipart upload). */
    void cancel();
}
