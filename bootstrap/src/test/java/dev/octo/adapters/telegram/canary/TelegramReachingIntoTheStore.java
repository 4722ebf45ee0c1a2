package dev.octo.adapters.telegram.canary;

import dev.octo.application.port.out.TaskStore;

/** Canary: a front end that reads the tasks from the store instead of asking a use case. */
public record TelegramReachingIntoTheStore(TaskStore value) {
}
