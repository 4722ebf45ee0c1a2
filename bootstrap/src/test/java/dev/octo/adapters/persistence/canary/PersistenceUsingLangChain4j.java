package dev.octo.adapters.persistence.canary;

import dev.langchain4j.data.message.ChatMessageSerializer;

/** Canary: LangChain4j outside the LLM adapter. */
public record PersistenceUsingLangChain4j(ChatMessageSerializer value) {
}
