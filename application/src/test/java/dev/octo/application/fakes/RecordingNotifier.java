package dev.octo.application.fakes;

import dev.octo.application.port.out.Notifier;
import dev.octo.domain.TaskEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Notifier} that keeps every event it is given. */
public final class RecordingNotifier implements Notifier {

    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void notify(TaskEvent event) {
        events.add(event);
    }

    public List<TaskEvent> events() {
        return List.copyOf(events);
    }

    public <E extends TaskEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
