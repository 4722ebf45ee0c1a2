package dev.octo.adapters.cli.canary;

import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.out.Notifier;
import dev.octo.domain.TaskEvent;

/**
 * Not a canary: a front end that answers through a {@code port.in} interface, shows domain types
 * and is itself a {@link Notifier}, all of which its rule allows.
 */
public record CliThroughThePorts(InterpretCommandUseCase interpreter) implements Notifier {

    @Override
    public void notify(TaskEvent event) {
        interpreter.handle("cli", event.task().id().value());
    }
}
