package dev.octo.application.fakes;

import dev.octo.application.port.out.Notifier;
import dev.octo.domain.TaskEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Notifier} that keeps every event and every problem message it is given. */
public final class RecordingNotifier implements Notifier {

    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @Override
    public void notify(TaskEvent event) {
        events.add(event);
    }

    @Override
    public void notifyProblem(String message) {
        problems.add(message);
    }

    public List<TaskEvent> events() {
        return List.copyOf(events);
    }

    public <E extends TaskEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The problem messages, in the order they came. */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
