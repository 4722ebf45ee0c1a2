package dev.octo.application.canary;

import dev.langchain4j.model.chat.ChatModel;

/** Canary: LangChain4j in the application. */
public record ApplicationUsingLangChain4j(ChatModel value) {
}
