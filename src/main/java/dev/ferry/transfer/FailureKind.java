package dev.ferry.transfer;

/** Why a transfer failed, for callers that map failures to exit codes or UI hints. */
public enum FailureKind {
    NONE,
    /** The request cannot work as given: missing object or bucket, denied, destination problems. */
    INPUT,
    /** Network, server or local I/O trouble; running again may succeed (the checkpoint is kept). */
    TRANSIENT,
    /** The object changed during the download; partial data was discarded. */
    SOURCE_CHANGED,
    /** Local disk is full; the checkpoint is kept. */
    DISK_FULL,
    /** Another process is working on the same file. */
    BUSY,
    /** A copy would replace an object already at its destination and was not asked to; nothing was written. */
    DESTINATION_EXISTS
}
