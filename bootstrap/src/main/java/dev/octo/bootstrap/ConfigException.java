package dev.octo.bootstrap;

/** A configuration value Octo cannot start with; the message is one line for the user. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
