package dev.octo.application.port.out;

/**
 * No supervisor can answer: no LLM is configured, or the one configured did not answer (a wrong key,
 * a server that cannot be reached). The message says what to configure or what went wrong, on one
 * line, and is shown to the user as it is.
 */
public class SupervisorUnavailableException extends RuntimeException {

    public SupervisorUnavailableException(String message) {
        super(message);
    }

    public SupervisorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
