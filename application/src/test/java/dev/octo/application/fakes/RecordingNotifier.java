package dev.octo.application.fakes;

import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.out.Notifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Notifier} that keeps every notice and every problem message it is given. */
public final class RecordingNotifier implements Notifier {

    private final List<TaskNotice> notices = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @Override
    public void notify(TaskNotice notice) {
        notices.add(notice);
    }

    @Override
    public void notifyProblem(String message) {
        problems.add(message);
    }

    /** Every notice, in the order they came. */
    public List<TaskNotice> events() {
        return List.copyOf(notices);
    }

    /** The notices of {@code type}, in the order they came. */
    public List<TaskNotice> events(TaskNotice.Type type) {
        return notices.stream().filter(notice -> notice.type() == type).toList();
    }

    /** The problem messages, in the order they came. */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
