package dev.octo.adapters.llm;

/** A tool refused what the model asked; the message goes back to the model, which may do better. */
final class ToolRefusal extends RuntimeException {

    ToolRefusal(String message) {
        super(message, null, false, false);
    }
}
