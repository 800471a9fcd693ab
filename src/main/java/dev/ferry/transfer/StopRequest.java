package dev.ferry.transfer;

import java.util.concurrent.atomic.AtomicReference;

import dev.ferry.storage.CancelSignal;

/**
 * What a transfer was asked to stop for, and the signal that stops its requests. A cancel overrides a
 * pause; a pause never overrides a cancel. Thread-safe; nothing here blocks.
 */
final class StopRequest {
    enum Kind { NONE, PAUSE, CANCEL }

    private final AtomicReference<Kind> kind = new AtomicReference<>(Kind.NONE);
    private final CancelSignal signal = new CancelSignal();

    /** The signal every request of the transfer registers with; also fired by a failure. */
    CancelSignal signal() {
        return signal;
    }

    void pause() {
        if (kind.compareAndSet(Kind.NONE, Kind.PAUSE)) {
            signal.cancel();
        }
    }

    void cancel() {
        kind.set(Kind.CANCEL);
        signal.cancel();
    }

    Kind kind() {
        return kind.get();
    }

    /** Why the transfer's parts stopped, for their ABORTED events. */
    String reason() {
        return switch (kind.get()) {
            case PAUSE -> "paused";
            case CANCEL -> "cancelled";
            default -> "stopped because another part failed";
        };
    }
}
