package dev.ferry.transfer;

/**
 * A read-only view of one part of a transfer, for a part map.
 *
 * @param done     bytes of the part that are finished (for a copy: all or nothing)
 * @param inFlight whether a connection is working on the part right now
 */
public record PartView(int number, long start, long length, long done, boolean inFlight) {
    public boolean isDone() {
        return done >= length;
    }
}
