package dev.octo.application.service;

import static dev.octo.application.port.in.TaskView.abbreviate;
import static dev.octo.application.service.CommandInterpreter.MAX_TIMEOUT_SECONDS;
import static dev.octo.application.service.CommandInterpreter.firstWord;

import dev.octo.application.port.in.CommandCatalogue.Command;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/**
 * The line of a command that dispatches work ({@code /bg}, {@code /agent}): its options, then the
 * command or prompt. Options come first; the first word that is not one starts the body, and "--"
 * ends them.
 *
 * @param name the agent {@code --name} chose; only {@code /agent} takes it
 * @param refusal why the line is malformed, with the usage line; empty when it is not
 */
record DispatchLine(Optional<Duration> timeout, Optional<String> name, String body,
        Optional<String> refusal) {

    static DispatchLine refused(String why) {
        return new DispatchLine(Optional.empty(), Optional.empty(), "", Optional.of(why));
    }

    static DispatchLine parse(String rest, Command command) {
        String usage = command.usage();
        Optional<Duration> timeout = Optional.empty();
        Optional<String> name = Optional.empty();
        String body = rest;
        while (!body.isEmpty()) {
            String option = firstWord(body);
            String afterOption = body.substring(option.length()).strip();
            if (option.equals("--")) {
                body = afterOption;
                break;
            }
            if (!option.startsWith("-")) {
                break;
            }
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            boolean named = command == Command.AGENT && key.equals("--name");
            if (!key.equals("--timeout") && !named) {
                return refused("'" + abbreviate(option, 40) + "' is not an option of " + command.word()
                        + ". A " + (command == Command.AGENT ? "prompt" : "command") + " that starts with '-'"
                        + " goes after '--': " + command.word() + " -- " + abbreviate(option, 40) + " ... " + usage);
            }
            String value;
            if (option.contains("=")) {
                value = option.substring(option.indexOf('=') + 1);
                body = afterOption;
            } else {
                value = firstWord(afterOption);
                body = afterOption.substring(value.length()).strip();
            }
            if (named) {
                if (name.isPresent()) {
                    return refused("--name is given twice. " + usage);
                }
                if (value.isEmpty()) {
                    return refused("--name needs the name of an agent. " + usage);
                }
                name = Optional.of(value);
                continue;
            }
            if (timeout.isPresent()) {
                return refused("--timeout is given twice. " + usage);
            }
            Optional<String> refusal = timeoutRefusal(value);
            if (refusal.isPresent()) {
                return refused(refusal.get() + " " + usage);
            }
            timeout = Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        if (body.isEmpty()) {
            return refused(usage);
        }
        return new DispatchLine(timeout, name, body, Optional.empty());
    }

    /** Why {@code value} is no timeout: not a number, not whole, or out of range; empty when it is one. */
    private static Optional<String> timeoutRefusal(String value) {
        String shown = "'" + abbreviate(value, 40) + "'";
        // ASCII digits only: \d matches no other script's digits, which parseLong would take
        if (!value.matches("[+-]?\\d+")) {
            return Optional.of(value.matches("[+-]?(\\d+\\.\\d*|\\.\\d+)")
                    ? "The timeout must be a whole number of seconds, not " + shown + "."
                    : "The timeout must be a number of seconds, not " + shown + ".");
        }
        BigInteger seconds = new BigInteger(value);
        if (seconds.signum() <= 0 || seconds.compareTo(BigInteger.valueOf(MAX_TIMEOUT_SECONDS)) > 0) {
            return Optional.of("The timeout must be from 1 to " + MAX_TIMEOUT_SECONDS + " seconds (365 days), not "
                    + shown + ".");
        }
        return Optional.empty();
    }
}
