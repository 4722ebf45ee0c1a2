package dev.octo.domain.canary;

import dev.octo.application.port.out.TaskStore;

/** Canary: the domain pointing up the layers, at an application port. */
public record DomainReachingIntoTheApplication(TaskStore store) {
}
