package dev.octo.adapters.llm.fake;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One scripted answer of a {@link FakeLlmServer}: what the model says (text, tool calls or both) with
 * the token usage it reports, or an HTTP error status; either one possibly late.
 */
public sealed interface Answer {

    /** How long the server waits before it answers; {@link Duration#ZERO} for at once. */
    Duration delay();

    /** This answer, given only after {@code delay}. */
    Answer after(Duration delay);

    /** The model's text, and no tool call. */
    static Reply text(String text) {
        return new Reply(text, List.of(), Usage.DEFAULT, Duration.ZERO);
    }

    /** The model asks for these tools to be run, and says nothing. */
    static Reply toolCalls(ToolCall... calls) {
        return new Reply("", List.of(calls), Usage.DEFAULT, Duration.ZERO);
    }

    /** One tool call, {@code argumentsJson} being a JSON object (or, to test a client, anything). */
    static Reply toolCall(String name, String argumentsJson) {
        return toolCalls(new ToolCall(name, argumentsJson));
    }

    /** An HTTP error: 500, 429, 401... with a body in the protocol's error format. */
    static Failure failure(int status) {
        return new Failure(status, Duration.ZERO);
    }

    /** A tool the model wants run. */
    record ToolCall(String name, String argumentsJson) {
        public ToolCall {
            requireNonNull(name, "name is null");
            requireNonNull(argumentsJson, "argumentsJson is null");
        }
    }

    /** Tokens as the provider reports them. */
    record Usage(int inputTokens, int outputTokens) {
        public static final Usage DEFAULT = new Usage(10, 5);
    }

    /** The connection closed without any answer, as when a network drops it. */
    static Dropped droppedConnection() {
        return new Dropped(Duration.ZERO);
    }

    /** A model's answer, streamed or not as the request asks. */
    record Reply(String text, List<ToolCall> toolCalls, Usage usage, Duration delay) implements Answer {
        public Reply {
            requireNonNull(text, "text is null");
            toolCalls = List.copyOf(toolCalls);
            requireNonNull(usage, "usage is null");
            requireNonNull(delay, "delay is null");
        }

        /** The same answer, reporting these token counts. */
        public Reply withUsage(int inputTokens, int outputTokens) {
            return new Reply(text, toolCalls, new Usage(inputTokens, outputTokens), delay);
        }

        @Override
        public Reply after(Duration delay) {
            return new Reply(text, toolCalls, usage, delay);
        }
    }

    /** An HTTP error status instead of an answer. */
    record Failure(int status, Duration delay) implements Answer {
        public Failure {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
            requireNonNull(delay, "delay is null");
        }

        @Override
        public Failure after(Duration delay) {
            return new Failure(status, delay);
        }
    }

    /** No answer at all: the connection is closed. */
    record Dropped(Duration delay) implements Answer {
        public Dropped {
            requireNonNull(delay, "delay is null");
        }

        @Override
        public Dropped after(Duration delay) {
            return new Dropped(delay);
        }
    }
}
