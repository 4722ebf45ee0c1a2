package dev.octo.domain;

import java.util.Optional;

/**
 * The rules of asking the user: a question and an answer are non-blank and at most
 * {@code maxTextLength} characters; a task may escalate at most {@code maxEscalations} times, and
 * the escalation past that fails it.
 */
public record EscalationPolicy(int maxEscalations, int maxTextLength) {

    public static final int DEFAULT_MAX_ESCALATIONS = 10;
    public static final int DEFAULT_MAX_TEXT_LENGTH = 4_000;
    public static final EscalationPolicy DEFAULT =
            new EscalationPolicy(DEFAULT_MAX_ESCALATIONS, DEFAULT_MAX_TEXT_LENGTH);

    public EscalationPolicy {
        if (maxEscalations < 0) {
            throw new IllegalArgumentException("maxEscalations must not be negative, not " + maxEscalations);
        }
        if (maxTextLength < 1) {
            throw new IllegalArgumentException("maxTextLength must be at least 1, not " + maxTextLength);
        }
    }

    /** What is wrong with {@code question}, or empty when it may be asked. */
    public Optional<String> checkQuestion(String question) {
        return checkText("question", question);
    }

    /** What is wrong with {@code answer}, or empty when it may be given. */
    public Optional<String> checkAnswer(String answer) {
        return checkText("answer", answer);
    }

    /** Whether a task that has escalated {@code escalationsSoFar} times may escalate again. */
    public boolean allowsAnotherEscalation(int escalationsSoFar) {
        return escalationsSoFar < maxEscalations;
    }

    /** Why a task that asked one question too many fails. */
    public String limitReachedReason() {
        return "Escalation limit reached: the task asked more than " + maxEscalations
                + " questions";
    }

    private Optional<String> checkText(String what, String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("the " + what + " is empty");
        }
        if (text.length() > maxTextLength) {
            return Optional.of("the " + what + " is " + text.length() + " characters long; at most "
                    + maxTextLength + " are allowed");
        }
        return Optional.empty();
    }
}
