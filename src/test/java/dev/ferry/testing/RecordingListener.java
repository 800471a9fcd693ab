package dev.ferry.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ferry.transfer.event.Progress;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferListener;

/** Records every event and progress snapshot, and the threads that delivered them. */
public class RecordingListener implements TransferListener {
    private final List<TransferEvent> events = new CopyOnWriteArrayList<>();
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    @Override
    public void onEvent(TransferEvent event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void onProgress(Progress p) {
        threads.add(Thread.currentThread().getName());
        progress.add(p);
    }

    public List<TransferEvent> events() {
        return List.copyOf(events);
    }

    public List<TransferEvent> events(TransferEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public List<TransferEvent.Type> types() {
        return events.stream().map(TransferEvent::type).toList();
    }

    public List<Progress> progress() {
        return List.copyOf(progress);
    }

    public Set<String> threads() {
        return Set.copyOf(threads);
    }

    /** Every message of the given type, joined, for assertion messages. */
    public String messages(TransferEvent.Type type) {
        return String.join(" | ", events(type).stream().map(e -> String.valueOf(e.message())).toList());
    }
}
