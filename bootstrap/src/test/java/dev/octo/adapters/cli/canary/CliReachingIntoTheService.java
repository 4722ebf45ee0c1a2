package dev.octo.adapters.cli.canary;

import dev.octo.application.service.TaskEngine;

/** Canary: a front end that skips the ports and holds the task engine itself. */
public record CliReachingIntoTheService(TaskEngine value) {
}
