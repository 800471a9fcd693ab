package dev.ferry.transfer.queue;

/** One part of a transfer for a part map. */
public record PartState(int number, long start, long length, long done, Status status) {
    public enum Status { PENDING, IN_FLIGHT, DONE, FAILED }
}
