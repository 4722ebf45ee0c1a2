package dev.octo.application.port.out;

/**
 * No supervisor can answer (no LLM is configured); the message says what to configure and is shown
 * to the user as it is.
 */
public class SupervisorUnavailableException extends RuntimeException {

    public SupervisorUnavailableException(String message) {
        super(message);
    }
}
