package dev.octo.adapters.cli.canary;

import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.out.Notifier;
import dev.octo.application.port.in.TaskNotice;

/**
 * Not a canary: a front end that answers through a {@code port.in} interface, shows port.in values
 * and is itself a {@link Notifier}, all of which its rule allows.
 */
public record CliThroughThePorts(InterpretCommandUseCase interpreter) implements Notifier {

    @Override
    public void notify(TaskNotice notice) {
        interpreter.handle("cli", "/task " + notice.taskId());
    }
}
