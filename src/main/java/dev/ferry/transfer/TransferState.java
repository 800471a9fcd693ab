package dev.ferry.transfer;

/** Where a transfer is in its life. */
public enum TransferState {
    QUEUED, CONNECTING, TRANSFERRING, PAUSED, VERIFYING, COMPLETED, FAILED, CANCELLED;

    /** Whether the transfer has stopped (it may be resumed when PAUSED or FAILED). */
    public boolean isTerminal() {
        return this == PAUSED || this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
