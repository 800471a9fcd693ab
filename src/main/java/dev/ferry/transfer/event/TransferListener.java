package dev.ferry.transfer.event;

/**
 * Receives a transfer's events and progress.
 *
 * <p>Contract:
 * <ul>
 *   <li>Both methods are called on one notification thread per transfer run (named
 *       {@code ferry-events-...}), never concurrently and in order: an event is delivered after every
 *       event that happened before it.</li>
 *   <li>{@link #onProgress} is called about every 250 ms while the transfer runs (only when
 *       something changed), and exactly once more with the final state after the last event.</li>
 *   <li>Exactly once per run: {@code STARTED}; one terminal event ({@code SUCCEEDED}, {@code FAILED},
 *       {@code PAUSED} or {@code CANCELLED}), which is the last event; {@code PART_SUCCEEDED} for each
 *       part fetched in that run. {@code PART_FAILED} may repeat for a part as it is retried.</li>
 *   <li>Implementations must not block and should return quickly: a slow listener delays later
 *       notifications (never the transfer itself, which queues them). To update a UI, copy what is
 *       needed and hand it to the UI thread; do not call back into the transfer from here except
 *       {@code pause()} or {@code cancel()}, which never block.</li>
 *   <li>An exception thrown by a listener is caught and ignored; it does not affect the transfer.</li>
 * </ul>
 */
public interface TransferListener {
    TransferListener NONE = new TransferListener() {
    };

    default void onEvent(TransferEvent event) {
    }

    default void onProgress(Progress progress) {
    }
}
