package dev.octo.application.port.out;

/** A process task's command could not be started; the message says why. */
public class ProcessStartException extends RuntimeException {

    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProcessStartException(String message) {
        super(message);
    }
}
