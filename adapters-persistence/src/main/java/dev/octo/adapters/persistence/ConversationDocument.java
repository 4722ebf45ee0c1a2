package dev.octo.adapters.persistence;

/** An agent task's conversation as written to {@code <id>.conversation.json}; the text is opaque. */
record ConversationDocument(Integer schemaVersion, String taskId, String conversation) {

    static final int SCHEMA_VERSION = 1;
}
