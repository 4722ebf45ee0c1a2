package dev.octo.adapters.persistence;

/** The supervisor's conversation with one channel, as written to {@code .octo/supervisor/}; the text is opaque. */
record SupervisorConversationDocument(Integer schemaVersion, String channel, String conversation) {

    static final int SCHEMA_VERSION = 1;
}
