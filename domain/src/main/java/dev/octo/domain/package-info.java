/**
 * The task model of Octo: {@link dev.octo.domain.Task} and its lifecycle, task specs, the rules of
 * escalation, timeouts and claude commands, and the events a task emits. It depends on the JDK
 * alone, so any front end or test can build and drive tasks with it.
 */
package dev.octo.domain;
